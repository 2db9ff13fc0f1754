"""One definition of the report: the committed JSON Schema is the one its dataclasses give, and every
golden JSON report is valid under it. `pytest tests/test_schema.py --update-golden` rewrites the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconcile.report import SCHEMA_FILE, report_schema

ROOT = Path(__file__).resolve().parents[1]


def _generated() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


def test_the_committed_schema_is_the_one_the_report_gives(request: pytest.FixtureRequest) -> None:
    path = ROOT / SCHEMA_FILE
    if request.config.getoption("--update-golden"):
        path.write_text(_generated(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == _generated(), (
        f"{SCHEMA_FILE} is not the report's schema: run pytest tests/test_schema.py --update-golden"
    )


@pytest.mark.parametrize("golden", sorted((ROOT / "tests" / "golden").glob("*.json")), ids=lambda p: p.name)
def test_every_golden_report_is_valid_under_the_schema(golden: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(json.loads(golden.read_text(encoding="utf-8")), report_schema())


def test_the_schema_says_which_keys_every_report_has() -> None:
    schema = report_schema()
    assert schema["required"][:2] == ["schema_version", "reconcile_version"]
    assert "warnings" not in schema["required"]  # only when there are some
    sentence = schema["$defs"]["SentenceResult"]
    assert sentence["properties"]["verdict"]["enum"] == ["supported", "partial", "unsupported", "contradicted"]
    assert "speaker" not in schema["$defs"]["DocumentInfo-without-speaker"]["properties"]
