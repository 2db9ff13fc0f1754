"""The Ray engine: the same reports, summary, resume and failures as the local engine, on a local cluster.

One cluster of 2 CPUs serves the module (Ray takes seconds to start); `pytest -m ray` selects these.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconcile.batch import load_batch_config, run_batch
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.errors import UsageError
from reconcile.resources import Resources

from .conftest import SAMPLE_OUTLET, SAMPLE_POST, TWO, Cli, FakeEmbedder
from .test_batch import THREE, make_config, write

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def ray_cluster(cache_dir: Path, fixed_clock: str) -> Iterator[None]:
    """A local Ray cluster of 2 CPUs for the module; its workers see the session's cache and clock."""
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=200 * 1024 * 1024,
        log_to_driver=False,
        logging_level=logging.WARNING,
    )
    try:
        yield
    finally:
        ray.shutdown()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (reports, summaries, resume markers) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_reports_identical_to_local(
    ray_cluster: None, embedder: SentenceTransformerEmbedder, resources: Resources, tmp_path: Path
) -> None:
    write(tmp_path, {"empty.txt": " \n"})
    body = f"""\
formats: [json, markdown, html]
sources:
  post: {{path: {SAMPLE_POST}, name: Truth Social, speaker: Donald Trump}}
  mfa: {{path: {TWO / "mfa.txt"}, name: MFA}}
  wh: {{path: {TWO / "white-house.txt"}, name: White House}}
comparisons:
  - {{name: sample, outlet: {SAMPLE_OUTLET}, sources: [post]}}
  - {{name: two, outlet: {TWO / "article.txt"}, sources: [mfa, wh]}}
  - {{name: broken, outlet: empty.txt, sources: [mfa]}}
"""
    config = load_batch_config(make_config(tmp_path, body, files={}))
    from reconcile.engine_ray import RayEngine

    ray_engine = RayEngine()
    runs = {}
    for name, engine in (("local", None), ("ray", ray_engine)):
        seen: list[tuple[int, int, str]] = []
        result = run_batch(
            config,
            output_dir=tmp_path / name,
            embedder=embedder,
            resources=resources,
            engine=engine,
            progress=lambda *args, seen=seen: seen.append(args),
        )
        assert [c.name for c in result.failed] == ["broken"]
        runs[name] = (tree(tmp_path / name), seen)
    assert ray_engine.snapshot_bytes > 0  # the ray run went through the workers
    local, ray = runs["local"], runs["ray"]
    assert ray[1] == local[1] == [(0, 3, "sample"), (1, 3, "two"), (2, 3, "broken"), (3, 3, "")]
    assert "sample.html" in local[0] and "broken.json" not in local[0]
    assert ray[0].keys() == local[0].keys()
    for path, data in local[0].items():
        assert ray[0][path] == data, path  # byte for byte: reports, summary.csv/json, index.html, markers


def test_resume_and_failures_as_local(ray_cluster: None, tmp_path: Path) -> None:
    from reconcile.engine_ray import RayEngine

    path = make_config(tmp_path, THREE)
    write(tmp_path, {"b.txt": b"\x00binary"})
    engine = RayEngine(workers=2)
    first = run_batch(load_batch_config(path), embedder=FakeEmbedder(), engine=engine)
    assert [(c.name, c.status.value) for c in first.comparisons] == [("a", "ok"), ("b", "failed"), ("c", "ok")]
    assert "binary" in (first.failed[0].error or "")
    assert engine.snapshot_bytes > 0  # the encoded sentences went through the object store

    write(tmp_path, {"b.txt": "Xi called the two countries partners. The call lasted an hour.\n"})
    before = (tmp_path / "out" / "a.json").stat().st_mtime_ns
    again = run_batch(load_batch_config(path), embedder=FakeEmbedder(), engine=engine, resume=True)
    assert [(c.name, c.status.value, c.resumed) for c in again.comparisons] == [
        ("a", "ok", True),
        ("b", "ok", False),
        ("c", "ok", True),
    ]
    assert (tmp_path / "out" / "a.json").stat().st_mtime_ns == before
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"comparisons": 3, "ok": 3, "failed": 0, "resumed": 2}

    local = run_batch(load_batch_config(path), output_dir=tmp_path / "local", embedder=FakeEmbedder())
    assert [c.row()["sentences"] for c in local.comparisons] == [c.row()["sentences"] for c in again.comparisons]
    for name in ("a.json", "b.json", "c.json"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "out" / name).read_bytes(), name


def test_the_snapshot_spares_the_workers_every_encoding(tmp_path: Path) -> None:
    from reconcile.batch import Job
    from reconcile.documents import read_document
    from reconcile.embed import MemoEmbedder
    from reconcile.engine_ray import snapshot, worker_embedder
    from reconcile.segment import segment

    make_config(tmp_path, THREE)
    job = Job("a", read_document(tmp_path / "a.txt"), (read_document(tmp_path / "readout.txt"),), "f")
    driver = MemoEmbedder(FakeEmbedder())
    shared = snapshot(driver, [job])
    texts = [s.text for d in (job.outlet, *job.sources) for s in segment(d.text).sentences]
    assert sorted(shared.texts) == sorted(texts) and shared.vectors.shape == (len(texts), 64)
    worker = worker_embedder(driver).make()  # in process, its FakeEmbedder is the driver's (Ray would copy it)
    assert isinstance(worker, MemoEmbedder) and isinstance(worker.inner, FakeEmbedder)
    calls = len(worker.inner.calls)
    worker.preload(shared)
    assert (worker.encode(texts) == driver.encode(texts)).all()
    assert len(worker.inner.calls) == calls  # nothing encoded again on the worker


def test_more_workers_than_cpus_is_refused(ray_cluster: None, tmp_path: Path) -> None:
    from reconcile.engine_ray import RayEngine

    path = make_config(tmp_path, THREE)
    with pytest.raises(UsageError, match="--workers 3: the Ray cluster has 2 CPUs; give at most 2"):
        run_batch(load_batch_config(path), embedder=FakeEmbedder(), engine=RayEngine(workers=3))


def test_fully_resumed_run_needs_no_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.engine_ray import RayEngine

    path = make_config(tmp_path, THREE)
    run_batch(load_batch_config(path), embedder=FakeEmbedder())
    engine = RayEngine()
    monkeypatch.setattr(engine, "_connect", lambda ray: pytest.fail("started Ray with nothing to compare"))
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), engine=engine, resume=True)
    assert all(c.resumed for c in result.comparisons)


def test_without_ray_one_line_with_the_fix(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed: import ray raises ImportError
    path = make_config(tmp_path, THREE)
    result = cli("batch", str(path), "--engine", "ray", "--quiet")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "reconcile: error: the ray engine needs Ray; install it with: pip install 'reconcile[ray]'"
        " (or run without --engine ray)"
    ]
    assert not (tmp_path / "out").exists()
    from reconcile.engine_ray import RayEngine

    with pytest.raises(UsageError, match=r"pip install 'reconcile\[ray\]'"):
        RayEngine()


def test_ray_options_need_the_ray_engine(cli: Cli, tmp_path: Path) -> None:
    path = make_config(tmp_path, THREE)
    result = cli("batch", str(path), "--address", "auto", "--quiet")
    assert result.exit_code == 2
    assert "--address and --workers are for --engine ray" in result.stderr
