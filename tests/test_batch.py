"""Batch configs: validation, outputs, resume, failures, encode-once, and the CLI end to end."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reconcile import batch as batch_module
from reconcile.batch import BatchConfig, Status, load_batch_config, run_batch
from reconcile.errors import ConfigError, UsageError
from reconcile.report import SCHEMA_VERSION
from reconcile.resources import Resources
from reconcile.segment import segment

from .conftest import ROOT, Cli, FakeEmbedder

POST = "I just spoke to Chairman Xi Jinping of China. The call was a very good one for both countries.\n"
READOUT = "President Xi said the two countries are partners and friends. They discussed trade and TikTok.\n"
ARTICLES = {
    "a.txt": "Trump said the call with Xi was very good. The leaders discussed trade.\n",
    "b.txt": "Xi called the two countries partners and friends. The call lasted two hours.\n",
    "c.txt": "The call was a very good one for both countries. Trump spoke to Xi Jinping.\n",
}


def write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_config(folder: Path, body: str, files: dict[str, str | bytes] | None = None) -> Path:
    """A config in folder with its texts beside it (the default texts unless files is given)."""
    write(folder, {"post.txt": POST, "readout.txt": READOUT, **ARTICLES} if files is None else files)
    path = folder / "batch.yaml"
    path.write_text(body, encoding="utf-8")
    return path


THREE = """\
output_dir: out
formats: [json, markdown]
sources:
  post: {path: post.txt, name: Truth Social, speaker: Donald Trump}
  readout: {path: readout.txt, name: MFA readout}
comparisons:
  - {name: a, outlet: a.txt, sources: [post, readout]}
  - {name: b, outlet: b.txt, sources: [readout]}
  - {name: c, outlet: c.txt, sources: [post, {path: readout.txt, name: Readout again}]}
"""


# --- validation ---------------------------------------------------------------------------------

VALID_SOURCES = "sources:\n  mfa: {path: post.txt}\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            VALID_SOURCES + "comparisons:\n  - name: x\n    outlet: a.txt\n"
            "    sources: [mfa, {path: post.txt, name: P, colour: red}]\n",
            [
                "1 problem",
                "comparisons.0.sources.1: unknown key 'colour' (allowed here: path, name, speaker)",
                "allowed here: path, name, speaker",
            ],
            id="unknown-key-dotted-path",
        ),
        pytest.param(
            "output-dir: out\nsources:\n  mfa: {path: post.txt, speeker: Xi Jinping}\n"
            "comparisons:\n  - {name: x, outlet: a.txt, sources: [mfa, {path: post.txt, name: P, speeker: Y}]}\n",
            [
                "3 problems",
                "  (top level): unknown key 'output-dir'; did you mean 'output_dir'?",
                "  sources.mfa: unknown key 'speeker'; did you mean 'speaker'?",
                "  comparisons.0.sources.1: unknown key 'speeker'; did you mean 'speaker'?",
            ],
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            "colour: red\nformats: [json, pdf]\nsettings: {top_k: 0}\n"
            + VALID_SOURCES
            + "comparisons:\n  - {name: x, outlet: a.txt, sources: [mfa]}\n",
            [
                "3 problems",
                "  (top level): unknown key 'colour' (allowed here:",
                "  formats.1: unknown format 'pdf'",
                "  settings.top_k: input should be greater than or equal to 1",
            ],
            id="several-problems-at-once",
        ),
        pytest.param(
            "sources:\n  mfa: {path: gone-readout.txt}\ncomparisons:\n"
            "  - {name: x, outlet: gone-1.txt, sources: [mfa]}\n"
            "  - {name: y, outlet: a.txt, sources: [{path: sub/gone-2.txt}]}\n",
            [
                "3 problems",
                "relative paths are read from",
                "sources.mfa.path: file not found: ",
                "gone-readout.txt",
                "comparisons.0.outlet: file not found: ",
                "gone-1.txt",
                "comparisons.1.sources.0.path: file not found: ",
                "gone-2.txt",
            ],
            id="missing-files-listed-together",
        ),
        pytest.param(
            "sources:\n  mfa: {path: post.txt}\n  post: {path: post.txt}\ncomparisons:\n"
            "  - {name: x, outlet: a.txt, sources: [mfb, 7]}\n",
            [
                "comparisons.0.sources.0: unknown source 'mfb'; did you mean 'mfa'?",
                "the sources defined are mfa, post",
                "comparisons.0.sources.1: give the name of a source defined under sources:",
            ],
            id="unknown-source-name",
        ),
        pytest.param(
            VALID_SOURCES + "comparisons:\n  - {name: seed, outlet: a.txt, sources: [mfa]}\n"
            "  - {name: other, outlet: a.txt, sources: [mfa]}\n"
            "  - {name: Seed, outlet: b.txt, sources: [mfa]}\n",
            ["comparisons.2.name: 'Seed' is already the name of comparisons.0"],
            id="duplicate-comparison-names",
        ),
        pytest.param(
            VALID_SOURCES + "comparisons:\n  - {name: x, outlet: a.txt, sources: [mfa, {path: post.txt, name: mfa}]}\n",
            ["comparisons.0.sources: two sources are named 'mfa'"],
            id="duplicate-source-names",
        ),
        pytest.param(
            "sources:\n  mfa: {path: post.txt}\n  mfa: {path: readout.txt}\ncomparisons: []\n",
            ["line 3", "the key 'mfa' appears twice"],
            id="duplicate-yaml-key",
        ),
        pytest.param(
            VALID_SOURCES
            + "comparisons:\n"
            + "".join(
                f"  - {{name: '{n}', outlet: a.txt, sources: [mfa]}}\n"
                for n in ("../up", "a/b", "summary", "CON", "", ".hidden", "x" * 101, "dot.")
            ),
            [
                "8 problems",
                "comparisons.0.name: '../up' cannot be a file name",
                "comparisons.1.name: 'a/b'",
                "comparisons.2.name: 'summary' is reserved",
                "comparisons.3.name: 'CON' is a device name",
                "comparisons.4.name: '' cannot",
                "comparisons.5.name: '.hidden' cannot",
                "comparisons.6.name:",
                "comparisons.7.name: 'dot.' cannot",
            ],
            id="names-unsafe-as-files",
        ),
        pytest.param(
            "output_dir: out\n",
            ["comparisons: field required"],
            id="no-comparisons",
        ),
        pytest.param(
            "model: no-such-model\n" + VALID_SOURCES + "comparisons:\n  - {name: x, outlet: a.txt, sources: [mfa]}\n",
            ["model: ", "no-such-model: model folder not found"],
            id="model-folder-missing",
        ),
        pytest.param("", ["the config is empty"], id="empty-file"),
        pytest.param("# nothing but a comment\n", ["the config is empty"], id="only-a-comment"),
        pytest.param("- name: x\n", ["must be a mapping", "not a list"], id="not-a-mapping"),
        pytest.param("comparisons: [\n", ["not valid YAML", "line 2"], id="yaml-syntax"),
        pytest.param(b"comparisons: caf\xe9\n", ["not valid UTF-8"], id="not-utf8"),
    ],
)
def test_config_problems(tmp_path: Path, body: str | bytes, expected: list[str]) -> None:
    path = tmp_path / "batch.yaml"
    make_config(tmp_path, "")
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_batch_config(path)
    message = str(caught.value)
    assert message.splitlines()[0].startswith(f"{path}: "), message
    for needle in expected:
        assert needle in message, f"{needle!r} not in:\n{message}"


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "batch.yaml"
    path.write_text(f'output_dir: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    refused = r": line 1: the YAML tag '!!python/object/apply:os.system' is refused"
    with pytest.raises(ConfigError, match=refused):
        load_batch_config(path)
    assert not marker.exists()


def test_config_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_batch_config(tmp_path / "nope.yaml")


def test_paths_are_relative_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "configs").mkdir()
    write(tmp_path, {"texts/post.txt": POST, "texts/a.txt": ARTICLES["a.txt"]})
    path = tmp_path / "configs" / "batch.yaml"
    path.write_text(
        "output_dir: ../out/run\nsources:\n  post: {path: ../texts/post.txt}\n"
        "comparisons:\n"
        "  - {name: a, outlet: ../texts/a.txt, sources: [post, {path: ../texts/post.txt, name: P2}]}\n",
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_batch_config(Path("../configs/batch.yaml"))
    root = tmp_path.resolve()
    assert config.output_dir == root / "out" / "run"
    (comparison,) = config.comparisons
    assert comparison.outlet == root / "texts" / "a.txt"
    assert [(s.name, s.path) for s in comparison.sources] == [
        ("post", root / "texts" / "post.txt"),
        ("P2", root / "texts" / "post.txt"),
    ]
    assert config.formats == ("json",) and config.model is None


def test_settings_are_validated_and_kept(tmp_path: Path) -> None:
    config = load_batch_config(make_config(tmp_path, THREE + "settings: {supported_threshold: 0.6}\n"))
    assert config.settings.supported_threshold == 0.6
    assert [c.name for c in config.comparisons] == ["a", "b", "c"]
    assert [s.name for s in config.comparisons[2].sources] == ["Truth Social", "Readout again"]
    assert config.comparisons[0].sources[0].speaker == "Donald Trump"


# --- running ------------------------------------------------------------------------------------


def test_outputs_and_summary_files(
    tmp_path: Path, fake_embedder: FakeEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    body = THREE.replace("[json, markdown]", "[json, markdown, text]")
    config = load_batch_config(make_config(tmp_path, body))
    seen: list[tuple[int, int, str]] = []
    result = run_batch(config, embedder=fake_embedder, progress=lambda *args: seen.append(args))
    out = tmp_path / "out"
    assert result.output_dir == out and not result.failed
    assert seen == [(0, 3, "a"), (1, 3, "b"), (2, 3, "c"), (3, 3, "")]
    for name in "abc":
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert report["schema_version"] == SCHEMA_VERSION and report["model"] == "fake"
        assert (out / f"{name}.md").read_text(encoding="utf-8").startswith("# reconcile:")
        assert (out / f"{name}.txt").is_file()
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]  # atomic writes leave no temp files

    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:12] == [
        "name",
        "outlet",
        "status",
        "error",
        "resumed",
        "sentences",
        "supported",
        "partial",
        "unsupported",
        "contradicted",
        "share_supported",
        "skipped",
    ]  # then quotes_<status> and omissions, tested below
    assert [(r["name"], r["status"], r["error"], r["resumed"]) for r in rows] == [
        ("a", "ok", "", "false"),
        ("b", "ok", "", "false"),
        ("c", "ok", "", "false"),
    ]
    assert rows[0]["outlet"] == str(tmp_path.resolve() / "a.txt")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"comparisons": 3, "ok": 3, "failed": 0, "resumed": 0}
    assert summary["formats"] == ["json", "markdown", "text"]
    for row in summary["comparisons"]:
        report = json.loads((out / f"{row['name']}.json").read_text(encoding="utf-8"))
        assert row["sentences"] == report["summary"]["sentences"] == 2
        assert sum(row[v] for v in ("supported", "partial", "unsupported", "contradicted")) == 2
        assert row["share_supported"] == report["summary"]["share_supported"]
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_output_dir_argument_wins_and_is_required(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    config = load_batch_config(make_config(tmp_path, THREE))
    result = run_batch(config, output_dir=tmp_path / "elsewhere", embedder=fake_embedder)
    assert (tmp_path / "elsewhere" / "a.json").is_file() and not (tmp_path / "out").exists()
    assert result.summary_csv == tmp_path / "elsewhere" / "summary.csv"
    no_dir = load_batch_config(make_config(tmp_path, THREE.replace("output_dir: out\n", "")))
    with pytest.raises(UsageError, match="no output folder; add output_dir: .* or pass --output-dir"):
        run_batch(no_dir, embedder=fake_embedder)


def test_resume_skips_complete_comparisons(
    tmp_path: Path, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_config(tmp_path, THREE)
    out = tmp_path / "out"
    run_batch(load_batch_config(path), embedder=fake_embedder)
    first_a = (out / "a.json").stat().st_mtime_ns

    fresh = FakeEmbedder()
    with monkeypatch.context() as patched:
        # A fully resumed run compares nothing, so it never opens (or builds) the WordNet index.
        patched.setattr(Resources, "load", classmethod(lambda cls, **options: pytest.fail("resources loaded")))
        result = run_batch(load_batch_config(path), embedder=fresh, resume=True)
    assert [c.resumed for c in result.comparisons] == [True, True, True]
    assert fresh.calls == []  # nothing compared, nothing encoded
    assert (out / "a.json").stat().st_mtime_ns == first_a
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["resumed"] == 3 and summary["comparisons"][0]["sentences"] == 2

    # What makes a comparison incomplete: a changed input, a missing or edited report, a new format.
    (tmp_path / "b.txt").write_text("A different article about the call. It was short.\n", encoding="utf-8")
    (out / "c.md").unlink()
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), resume=True)
    assert [(c.name, c.resumed) for c in result.comparisons] == [("a", True), ("b", False), ("c", False)]
    (out / "a.json").write_text("{}", encoding="utf-8")
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), resume=True)
    assert [c.resumed for c in result.comparisons] == [False, True, True]
    result = run_batch(
        load_batch_config(make_config(tmp_path, THREE.replace("[json, markdown]", "[json, markdown, text]"))),
        embedder=FakeEmbedder(),
        resume=True,
    )
    assert [c.resumed for c in result.comparisons] == [False, False, False]

    # Changed settings change every fingerprint; without --resume everything runs again anyway.
    changed = load_batch_config(make_config(tmp_path, THREE + "settings: {top_k: 3}\n"))
    assert not any(c.resumed for c in run_batch(changed, embedder=FakeEmbedder(), resume=True).comparisons)
    assert not any(c.resumed for c in run_batch(changed, embedder=FakeEmbedder()).comparisons)

    # So does another precision of the same model (bf16 vectors differ in the last digits).
    bf16 = FakeEmbedder()
    bf16.precision = "bf16"
    assert not any(c.resumed for c in run_batch(changed, embedder=bf16, resume=True).comparisons)


def test_a_failing_comparison_does_not_stop_the_others(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    path = make_config(tmp_path, THREE)
    out = tmp_path / "out"
    run_batch(load_batch_config(path), embedder=fake_embedder)
    assert (out / "b.json").is_file()
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")  # b now fails, after an earlier success
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), resume=True)
    assert [c.status for c in result.comparisons] == [Status.OK, Status.FAILED, Status.OK]
    (failed,) = result.failed
    assert failed.name == "b" and "b.txt" in (failed.error or "") and "binary" in (failed.error or "")
    assert not (out / "b.json").exists() and not (out / "b.md").exists()  # no stale reports left
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["name"]: r for r in csv.DictReader(f)}
    assert rows["b"]["status"] == "failed" and "binary" in rows["b"]["error"] and rows["b"]["sentences"] == ""
    assert rows["a"]["status"] == "ok"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"comparisons": 3, "ok": 2, "failed": 1, "resumed": 2}
    # The failure is not remembered as done: the next resume tries b again.
    (tmp_path / "b.txt").write_text(ARTICLES["b.txt"], encoding="utf-8")
    again = run_batch(load_batch_config(path), embedder=FakeEmbedder(), resume=True)
    assert [(c.status, c.resumed) for c in again.comparisons] == [
        (Status.OK, True),
        (Status.OK, False),
        (Status.OK, True),
    ]


def test_quote_and_omission_columns(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    quoting = "  - {name: q, outlet: quoting.txt, sources: [post]}\n"
    body = THREE.replace("  - {name: b, outlet: b.txt", quoting + "  - {name: b, outlet: b.txt")
    path = make_config(tmp_path, body)
    write(
        tmp_path,
        {
            "quoting.txt": 'Trump wrote: "The call was a very good one for both countries." It was.\n',
            "b.txt": b"",  # a failed row: its counts stay empty, not 0
        },
    )
    result = run_batch(load_batch_config(path), embedder=fake_embedder)
    with (tmp_path / "out" / "summary.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["name"]: r for r in csv.DictReader(f)}
    quote_columns = [c for c in rows["q"] if c.startswith("quotes_")]
    assert quote_columns and "omissions" in rows["q"]
    report = json.loads((tmp_path / "out" / "q.json").read_text(encoding="utf-8"))
    for status, n in report["summary"]["quotes"].items():
        assert rows["q"][f"quotes_{status}"] == str(n)
    assert rows["q"]["omissions"] == str(report["summary"]["omissions"])
    to_check = report["summary"]["to_check"]
    assert (rows["q"]["errors"], rows["q"]["checks"]) == (str(to_check["error"]), str(to_check["check"]))
    # A status seen only in another row is 0 quotes here; a failed row has no figures at all.
    assert all(rows["a"][c] != "" for c in quote_columns)
    assert rows["b"]["status"] == "failed" and all(rows["b"][c] == "" for c in quote_columns)
    assert [c.name for c in result.failed] == ["b"]


# --- speed: one model, each sentence encoded once -----------------------------------------------


class _WordTokenizer:
    """One token per word, as CountingModel's token embeddings have; what chunk_pieces asks of a tokenizer."""

    model_max_length = 256

    def num_special_tokens_to_add(self, pair: bool = False) -> int:
        return 2

    def __call__(self, text: str, **_: Any) -> Any:
        import re

        offsets = [m.span() for m in re.finditer(r"\S+", text)]

        class Encoding(dict[str, Any]):
            def word_ids(self) -> list[int]:
                return list(range(len(offsets)))

        return Encoding(offset_mapping=offsets, input_ids=list(range(len(offsets))))


class CountingModel:
    """Stands in for the backend inside the real embedder (what runs the model); records what it is asked to encode."""

    max_seq_length = 256
    tokenizer = _WordTokenizer()
    dimension = 384

    def __init__(self, vectors: Any) -> None:
        self.encoded: list[str] = []
        self._vectors = vectors

    def encode(self, texts: list[str], batch_size: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per text, its vector and its tokens (one per word), as a backend gives them."""
        self.encoded.extend(texts)
        tokens = [self._vectors.encode(text.split()).astype(np.float16) for text in texts]
        return self._vectors.encode(texts), tokens


TWELVE = (
    THREE.split("comparisons:")[0]
    + "comparisons:\n"
    + "".join(
        f"  - {{name: c{i}, outlet: {article}, sources: [post, readout]}}\n"
        for i, article in enumerate(sorted(ARTICLES) * 4)
    )
)  # twelve comparisons over three articles, all sharing the same two sources
ALL_SENTENCES = {s.text for t in (POST, READOUT, *ARTICLES.values()) for s in segment(t).sentences}


def test_each_distinct_text_is_encoded_once_per_run(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    result = run_batch(load_batch_config(make_config(tmp_path, TWELVE)), embedder=fake_embedder)
    assert len(result.comparisons) == 12 and not result.failed
    encoded = [text for call in fake_embedder.calls for text in call]
    assert len(encoded) == len(set(encoded))  # a plain embedder with no cache of its own still sees each once
    assert set(encoded) >= ALL_SENTENCES


def test_one_model_per_run_and_the_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import embed

    made: list[tuple[embed.SentenceTransformerEmbedder, CountingModel]] = []
    real_init = embed.SentenceTransformerEmbedder.__init__

    def init(self: embed.SentenceTransformerEmbedder, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        model = CountingModel(FakeEmbedder())
        self._model = model  # the real caches, a fake model
        made.append((self, model))

    monkeypatch.setattr(embed.SentenceTransformerEmbedder, "__init__", init)
    config = load_batch_config(make_config(tmp_path, TWELVE))
    assert not run_batch(config).failed
    assert len(made) == 1  # one embedder, so one model load, for the whole run
    encoded = made[0][1].encoded
    assert len(encoded) == len(set(encoded)) and set(encoded) >= ALL_SENTENCES

    # With the disk cache, the first run fills it and a second encodes nothing at all.
    made.clear()
    run_batch(config, cache_dir=tmp_path / "cache")
    assert len(made[0][1].encoded) == len(encoded)
    made.clear()
    run_batch(config, cache_dir=tmp_path / "cache")
    assert made[0][1].encoded == [] and made[0][0].texts_from_disk == len(encoded)


EXAMPLE = str(ROOT / "configs" / "example.yaml")


# --- the command line ---------------------------------------------------------------------------


def test_cli_config_error_exits_2(cli: Cli, tmp_path: Path) -> None:
    body = "comparisons:\n  - {name: x, outlet: gone.txt, sources: [nope], colour: 1}\n"
    path = make_config(tmp_path, body)
    result = cli("batch", str(path), "--quiet")  # raises on a traceback
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"reconcile: error: {path}: 3 problems in the batch config")
    assert lines[1].startswith("  comparisons.0: unknown key 'colour'")


def test_cli_failed_comparison_exits_1(cli: Cli, tmp_path: Path) -> None:
    # Every comparison fails on reading, so this runs without loading the model.
    path = make_config(
        tmp_path,
        THREE.replace("b.txt", "empty.txt").replace("a.txt", "empty.txt").replace("c.txt", "empty.txt"),
        files={"post.txt": POST, "readout.txt": READOUT, "empty.txt": "  \n"},
    )
    result = cli("batch", str(path), "--quiet", "--no-cache")
    assert result.exit_code == 1, result.stderr
    assert "reconcile: a failed: " in result.stderr and "empty.txt: file is empty" in result.stderr
    assert (tmp_path / "out" / "summary.csv").is_file()
    (made,) = cli.made
    assert not cli.loaded_model and made.texts_encoded == 0  # the sources were not encoded either


def test_sources_of_a_failing_comparison_are_not_encoded(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    only_b = "An unusual readout that only comparison b uses. It says nothing else.\n"
    body = THREE.replace("sources: [readout]}", "sources: [{path: only-b.txt}]}")
    path = make_config(tmp_path, body, files={"post.txt": POST, "readout.txt": READOUT, **ARTICLES})
    write(tmp_path, {"only-b.txt": only_b, "b.txt": b"\x00binary"})
    result = run_batch(load_batch_config(path), embedder=fake_embedder)
    assert [c.name for c in result.failed] == ["b"]
    encoded = {text for call in fake_embedder.calls for text in call}
    assert not encoded & {s.text for s in segment(only_b).sentences}
    assert encoded >= {s.text for s in segment(ARTICLES["a.txt"]).sentences}


def test_cli_example_config_end_to_end(model_cli: Cli, resources: Resources, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = (EXAMPLE, "--output-dir", str(out), "--quiet")  # the default embedding cache: the session's
    result = model_cli("batch", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    config: BatchConfig = load_batch_config(EXAMPLE)
    for comparison in config.comparisons:
        for ext in ("json", "md"):
            assert (out / f"{comparison.name}.{ext}").is_file()
    report = json.loads((out / "outlet-article.json").read_text(encoding="utf-8"))
    assert report["outlet"]["sentences"] == 20
    assert (report["sources"][0]["name"], report["sources"][0]["speaker"]) == ("Truth Social", "Donald Trump")
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["name"], r["status"]) for r in rows] == [(c.name, "ok") for c in config.comparisons]
    assert rows[0]["sentences"] == "20"

    before = (out / "outlet-article.json").stat().st_mtime_ns
    again = model_cli("batch", *args, "--resume")
    assert again.exit_code == 0, again.stderr
    assert (out / "outlet-article.json").stat().st_mtime_ns == before
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["resumed"] == 2

    # The smoke test of `python -m reconcile batch`: the same reports as in-process, byte for byte
    # (every vector now comes from the cache the in-process run filled).
    elsewhere = tmp_path / "process"
    process = subprocess.run(
        [sys.executable, "-m", "reconcile", "batch", EXAMPLE, "--output-dir", str(elsewhere), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr and "reconcile:" not in process.stderr
    for comparison in config.comparisons:
        for ext in ("json", "md"):
            name = f"{comparison.name}.{ext}"
            assert (elsewhere / name).read_bytes() == (out / name).read_bytes(), name


def test_html_reports_and_index(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    body = THREE.replace("[json, markdown]", "[json, html]")
    config = load_batch_config(make_config(tmp_path, body))
    run_batch(config, embedder=fake_embedder)
    out = tmp_path / "out"
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in "abc":
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html")
        assert f'href="{name}.html"' in index
    assert "summary" not in {p.stem for p in out.glob("*.html")}
    # The index shows summary.csv's columns, in its order, then the links to each comparison's reports.
    with (out / "summary.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    heads = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", index.split("</table>")[0])
    assert [re.sub(r"<[^>]*>", "", h) for h in heads] == [*header, "reports"]
    assert {"outlet", "error", "resumed", "skipped"} <= set(header)


def test_cli_bf16_precision_and_a_bad_one(model_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("batch", EXAMPLE, "--output-dir", str(out), "--quiet", "--no-cache")
    result = model_cli(*args, "--precision", "bf16")
    assert result.exit_code == 0, result.stderr
    assert [e.precision for e in model_cli.made] == ["bf16"]
    report = json.loads((out / "outlet-article.json").read_text(encoding="utf-8"))
    assert report["outlet"]["sentences"] == 20
    bad = model_cli(*args, "--precision", "fp8")  # raises on a traceback
    assert bad.exit_code == 2
    assert bad.stderr.count("\n") == 1 and "fp8" in bad.stderr


# --- failures stay local, the summary never says what is not so (issue 16) ---------------------------


def test_a_report_path_that_cannot_be_written_fails_only_its_comparison(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    path = make_config(tmp_path, THREE)
    out = tmp_path / "out"
    (out / "b.md").mkdir(parents=True)  # a folder where b's Markdown report goes
    result = run_batch(load_batch_config(path), embedder=fake_embedder)
    assert [c.status for c in result.comparisons] == [Status.OK, Status.FAILED, Status.OK]
    assert "b.md" in (result.failed[0].error or "") and "cannot write" in (result.failed[0].error or "")
    assert not (out / "b.json").exists()  # nothing half-done: b's JSON report went with it
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is True and summary["totals"] == {"comparisons": 3, "ok": 2, "failed": 1, "resumed": 0}


def test_the_summary_of_a_run_killed_part_way_says_only_what_is_so(
    tmp_path: Path, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_config(tmp_path, THREE)
    out = tmp_path / "out"
    run_batch(load_batch_config(path), embedder=fake_embedder)  # an earlier, complete run
    (tmp_path / "b.txt").write_text("Another article entirely. It says new things.\n", encoding="utf-8")
    monkeypatch.setattr(batch_module, "SUMMARY_INTERVAL", 0.0)

    def killed(done: int, total: int, name: str) -> None:
        if name == "c":  # as kill -9 would, after b's reports are rewritten and before c's
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(load_batch_config(path), embedder=FakeEmbedder(), progress=killed)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is False and summary["totals"]["pending"] == 1
    rows = {row["name"]: row for row in summary["comparisons"]}
    assert [rows[n]["status"] for n in "abc"] == ["ok", "ok", "pending"]
    for name in "ab":  # every row it states agrees with the report on disk
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert rows[name]["sentences"] == report["summary"]["sentences"]
        assert rows[name]["supported"] == report["summary"]["counts"]["supported"]
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        assert [r["status"] for r in csv.DictReader(f)] == ["ok", "ok", "pending"]

    # Even before the first comparison ends, no earlier summary is left standing.
    def killed_at_once(done: int, total: int, name: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(load_batch_config(path), embedder=FakeEmbedder(), progress=killed_at_once)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is False and {row["status"] for row in summary["comparisons"]} == {"pending"}


def test_resume_after_an_input_moved_names_where_it_is_now(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    path = make_config(tmp_path, THREE)
    out = tmp_path / "out"
    run_batch(load_batch_config(path), embedder=fake_embedder)
    (tmp_path / "moved").mkdir()
    (tmp_path / "b.txt").rename(tmp_path / "moved" / "b.txt")  # the same text, somewhere else
    path.write_text(THREE.replace("outlet: b.txt", "outlet: moved/b.txt"), encoding="utf-8")
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), resume=True)
    assert [(c.name, c.resumed) for c in result.comparisons] == [("a", True), ("b", False), ("c", True)]
    report = json.loads((out / "b.json").read_text(encoding="utf-8"))
    assert report["outlet"]["path"] == str((tmp_path / "moved" / "b.txt").resolve())
