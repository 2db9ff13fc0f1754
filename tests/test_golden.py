"""The reports, byte for byte: `reconcile compare` on the sample and on the two-readouts fixture, in every format.

The expected files are tests/golden/<case>.<ext>; after a change meant to alter a report, rewrite them
with ``pytest tests/test_golden.py --update-golden`` and read the diff. The commands run from the
repository root with relative paths, so the reports are the same in any checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.render import EXTENSIONS

from .conftest import ROOT, Cli

GOLDEN = ROOT / "tests" / "golden"
ASSETS = ROOT / "reconcile" / "render" / "assets"


def _golden_form(report: bytes, fmt: str) -> bytes:
    """The report as its golden file holds it: an HTML page's styles and script, which are the package's own
    files (render/assets/) written in whole into every page, stand as one line naming the file, so that
    the goldens do not freeze the same stylesheet twice. Everything else is compared byte for byte."""
    if fmt != "html":
        return report
    text = report.decode("utf-8")
    for name in ("report.css", "report.js"):
        asset = (ASSETS / name).read_text(encoding="utf-8")
        assert asset in text, f"the page does not hold render/assets/{name} whole"
        text = text.replace(asset, f"/* reconcile/render/assets/{name}, as it is */\n", 1)
    return text.encode("utf-8")


_SAMPLE = "samples/xi-trump-call-2025-01-17"
_TWO = "tests/fixtures/two-readouts"
CASES = {
    # As the Makefile's demo runs it.
    "sample": (
        f"{_SAMPLE}/outlet-article.txt",
        "--source",
        f"Donald Trump: truth-social-post={_SAMPLE}/truth-social-post.txt",
    ),
    # Two sources, each with its speaker.
    "two-readouts": (
        f"{_TWO}/article.txt",
        "--source",
        f"Joe Biden: White House={_TWO}/white-house.txt",
        "--source",
        f"Xi Jinping: MFA={_TWO}/mfa.txt",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def embedding_caches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # One fresh cache per case: its first run encodes every text in the batches of a fresh process,
    # and the other formats read those vectors, so every format renders one and the same comparison.
    return {case: tmp_path_factory.mktemp(f"golden-{case}") for case in CASES}


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("case", list(CASES))
def test_report_is_the_golden_file(
    model_cli: Cli,
    embedding_caches: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    case: str,
    fmt: str,
) -> None:
    monkeypatch.chdir(ROOT)
    result = model_cli("compare", *CASES[case], "--format", fmt, "--cache-dir", str(embedding_caches[case]))
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"{case}.{EXTENSIONS[fmt]}"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(_golden_form(result.stdout_bytes, fmt))
        pytest.skip(f"rewrote {golden.relative_to(ROOT)}")
    assert golden.is_file(), f"{golden} missing: run pytest {__file__} --update-golden"
    expected = golden.read_bytes()
    now = _golden_form(result.stdout_bytes, fmt)
    if now != expected:
        got = now.decode("utf-8").splitlines()
        want = expected.decode("utf-8").splitlines()
        first = next((n for n, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        pytest.fail(
            f"{golden.relative_to(ROOT)} differs from line {first + 1}:\n"
            f"  golden: {want[first] if first < len(want) else '(end)'}\n"
            f"  now:    {got[first] if first < len(got) else '(end)'}\n"
            "if the change is meant, rerun with --update-golden and check the diff"
        )
