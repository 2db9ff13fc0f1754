"""The batch the speed benchmarks share: qags-cnndm claims as outlets, each against its article.

batch_speed.py, batch_engines.py and db_overhead.py time the same kind of batch; this writes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def read_cases(path: Path, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` cases of an eval file (JSON lines), read from ../shared, never copied."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()][:limit]


def build(cases: list[dict[str, Any]], folder: Path) -> tuple[Path, list[str]]:
    """Write the claims, the articles (each once) and a config of one comparison per claim; return the
    config and every distinct text."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "claims").mkdir(exist_ok=True)
    article_ids: dict[str, str] = {}
    lines = ["output_dir: out", "formats: [json]", "sources:"]
    comparisons = ["comparisons:"]
    for case in cases:
        text = case["sources"][0]["text"]
        if text not in article_ids:
            key = article_ids[text] = f"article-{len(article_ids):03d}"
            (folder / "articles" / f"{key}.txt").write_text(text, encoding="utf-8")
            lines.append(f"  {key}: {{path: articles/{key}.txt}}")
        (folder / "claims" / f"{case['id']}.txt").write_text(case["claim"], encoding="utf-8")
        comparisons.append(
            f"  - {{name: {case['id']}, outlet: claims/{case['id']}.txt, sources: [{article_ids[text]}]}}"
        )
    config = folder / "batch.yaml"
    config.write_text("\n".join([*lines, *comparisons]) + "\n", encoding="utf-8")
    return config, [*article_ids, *(case["claim"] for case in cases)]
