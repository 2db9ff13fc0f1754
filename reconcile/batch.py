"""Many comparisons from one YAML config: validate it, run them with one shared model, write reports.

    config = load_batch_config("configs/example.yaml")
    result = run_batch(config, cache_dir=default_cache_dir())

One embedder serves the whole run, so the model loads once and each distinct sentence is encoded
once however many comparisons share a source. A comparison whose input cannot be read is recorded
as failed and the others go on. Every file is written atomically (temp file + os.replace).

Resume: after a comparison's reports are written, a marker ``<output_dir>/.reconcile/<name>.done.json``
records a fingerprint of its inputs (the texts, paths, names and speakers of the outlet and sources, the
settings, the model and the reconcile version), the SHA-256 of each report file, and its summary figures.
``resume=True`` skips a comparison whose marker matches its current fingerprint and whose report files
all still have the recorded hashes. The markers live in a hidden folder of their own so that their
names can never collide with a report's (a comparison named "x.done" writes "x.done.json"). Beside the
marker, ``<name>.cells.json`` keeps the comparison's column of the coverage matrix (coverage_matrix.py),
which the run writes as ``coverage-matrix.csv`` when several outlets share their sources; a comparison
without it is not resumed.

Engines: run_batch reads the inputs and checks resume itself, then hands the comparisons to run (Jobs)
to an engine (Dispatch) that yields their reports in order: ``compare_locally`` by default, or
reconcile.engine_ray.RayEngine. Writing the reports, the markers, the db rows and the summary stays here.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from .batch_config import BatchConfig, Comparison, Location, SourceRef, load_batch_config
from .compare import compare
from .coverage_matrix import Matrix, build_matrices, load_column, matrix_csv, outlet_cells, save_column
from .documents import Document, read_document
from .embed import Embedder, SentenceTransformerEmbedder, memoized
from .errors import InputError, ModelError, ReconcileError, UsageError
from .files import write_atomically
from .judging import load_judge
from .memo import memo_scope
from .provenance import timestamp
from .render import EXTENSIONS, render
from .report import Report, Verdict
from .resources import Resources
from .results_db import ResultsDB, batch_key
from .segment import segment
from .settings import Settings
from .version import __version__
from .wordnet import INDEX_VERSION, SENSES, data_dir

# The config's types are part of this module's API (reconcile.batch.load_batch_config and the rest).
__all__ = [
    "BatchConfig",
    "BatchResult",
    "Comparison",
    "ComparisonOutcome",
    "Dispatch",
    "Job",
    "SourceRef",
    "Status",
    "compare_locally",
    "load_batch_config",
    "run_batch",
]

SUMMARY_SCHEMA_VERSION = "1.0"
SUMMARY_INTERVAL = 1.0  # seconds between two writes of the summary while a batch runs
MARKER_DIR = ".reconcile"
MATRIX_CSV = "coverage-matrix.csv"  # when several outlets are compared with the same sources
VERDICTS = tuple(v.value for v in Verdict)

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, name)`` before each comparison starts, and with name "" at the end."""


class Status(str, Enum):  # noqa: UP042 - the project's enums are (str, Enum), like Verdict
    """How a comparison of the batch ended."""

    OK = "ok"
    FAILED = "failed"
    PENDING = "pending"  # not compared yet: the run is still going, or was stopped before it


@dataclass(frozen=True)
class ComparisonOutcome:
    """One comparison's result: its report files, or why it failed."""

    name: str
    outlet: Location
    status: Status
    error: str | None = None
    resumed: bool = False
    files: tuple[Path, ...] = ()
    # sentences, one count per verdict, share_supported, skipped, quotes_* / omissions when reported,
    # and the triage's errors / checks
    figures: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The summary row: the same keys in summary.csv and summary.json."""
        return {
            "name": self.name,
            "outlet": str(self.outlet),
            "status": self.status.value,
            "error": self.error,
            "resumed": self.resumed,
            **self.figures,
        }


@dataclass(frozen=True)
class BatchResult:
    """What a batch run did, in config order."""

    output_dir: Path
    comparisons: tuple[ComparisonOutcome, ...]
    summary_csv: Path
    summary_json: Path

    @property
    def failed(self) -> tuple[ComparisonOutcome, ...]:
        return tuple(c for c in self.comparisons if c.status is Status.FAILED)


def run_batch(
    config: BatchConfig,
    *,
    output_dir: str | os.PathLike[str] | None = None,
    resume: bool = False,
    embedder: Embedder | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    precision: str = "fp32",
    progress: ProgressCallback | None = None,
    resources: Resources | None = None,
    db: str | os.PathLike[str] | None = None,
    engine: Dispatch | None = None,
) -> BatchResult:
    """Run every comparison of the config with one shared embedder; write reports and the summary.

    ``output_dir`` overrides the config's. Without ``embedder``, one SentenceTransformerEmbedder of the
    config's model is made, encoding in ``precision`` (fp32 or bf16), with its on-disk cache in
    ``cache_dir`` (None: no disk cache); a given
    embedder is used as it is (``config.model`` and ``cache_dir`` are then ignored). Raises
    ReconcileError only for what stops the whole run (no output folder, a model that cannot load, a
    report that cannot be written); a comparison whose inputs are bad is recorded as failed.
    ``resources`` (WordNet, opposites, weights) are loaded once for the run when not given, and only
    when a comparison runs: a fully resumed run neither opens nor builds the WordNet index.
    ``db``: a results database (results_db.py) that every comparison is also written to, one
    transaction each; with ``resume``, a comparison whose rows there are not current runs again.
    ``engine``: how the comparisons that run are computed (see Dispatch); default ``compare_locally``.
    """
    if output_dir is not None:
        out = Path(output_dir)
    elif config.output_dir is not None:
        out = config.output_dir
    else:
        raise UsageError(f"{config.path}: no output folder; add output_dir: to the config or pass --output-dir")
    _make_dirs(out / MARKER_DIR)
    results = ResultsDB(db) if db is not None else None
    if embedder is None:
        embedder = SentenceTransformerEmbedder(config.model, cache_dir=cache_dir, precision=precision)
    # compare() memoizes only within one comparison; wrapping here makes it once per run for any embedder.
    embedder = memoized(embedder)
    shared = _SharedResources(resources, config.settings.judge)
    documents = _Documents()
    outcomes: list[ComparisonOutcome] = []
    total = len(config.comparisons)
    # The summary is written first with every comparison pending, then again as they end (at most every
    # SUMMARY_INTERVAL seconds), and marked complete at the end: a run killed part-way leaves a summary
    # that says which comparisons it had finished, never one of an earlier run that the reports now belie.
    pending = [ComparisonOutcome(c.name, c.outlet, Status.PENDING) for c in config.comparisons]
    _write_summary(out, config, embedder, pending, complete=False)
    written = time.monotonic()
    if not resume:
        _encode_up_front(config, documents, embedder)
    # One memo scope for the run: a source shared by many comparisons is tokenised once. The results
    # database (opened first, so that a bad --db stops the run before any work) closes with the loop.
    with memo_scope(), results or contextlib.nullcontext():
        prepared = [
            _prepare(comparison, config, out, embedder, documents, shared, resume=resume, db=results)
            for comparison in config.comparisons
        ]
        jobs = [step for step in prepared if isinstance(step, Job)]
        # The engine yields each job's report in order; the local one computes it only when asked.
        reports = (engine or compare_locally)(jobs, embedder=embedder, settings=config.settings, resources=shared.get)
        with contextlib.closing(reports):  # a Ray engine shuts its workers down when the run ends or stops
            for done, (comparison, step) in enumerate(zip(config.comparisons, prepared, strict=True)):
                if progress is not None:
                    progress(done, total, comparison.name)
                if isinstance(step, Job):
                    step = _run_one(comparison, step, next(reports), config, out, db=results)
                outcomes.append(step)
                if time.monotonic() - written >= SUMMARY_INTERVAL and done + 1 < total:
                    _write_summary(out, config, embedder, [*outcomes, *pending[done + 1 :]], complete=False)
                    written = time.monotonic()
    if progress is not None:
        progress(total, total, "")
    matrices = _coverage_matrices(out, config, outcomes)
    summary_csv, summary_json = _write_summary(out, config, embedder, outcomes, complete=True, matrices=matrices)
    return BatchResult(out, tuple(outcomes), summary_csv, summary_json)


def _encode_up_front(config: BatchConfig, documents: _Documents, embedder: Embedder) -> None:
    """Encode every sentence of every readable input in one call before the comparisons run.

    One large batch keeps the model busy; comparison by comparison, each outlet sentence would be
    a batch of one, and per-call overhead, not the model, would set the pace. (With --resume this
    is skipped: most comparisons may need no encoding at all.) Only the inputs of comparisons that
    will run are encoded: a comparison with an unreadable input, or one without sentences, fails
    before it encodes anything, so its other texts would load the model for nothing.
    """
    sentences: dict[Location, list[str] | None] = {}

    def sentences_of(path: Location) -> list[str] | None:
        if path not in sentences:
            try:
                document = documents.get(path)
            except ReconcileError:
                sentences[path] = None  # recorded as that comparison's failure when it runs
            else:
                sentences[path] = [sentence.text for sentence in segment(document.text).sentences] or None
        return sentences[path]

    paths: set[Location] = set()
    for comparison in config.comparisons:
        inputs = [comparison.outlet, *(s.path for s in comparison.sources)]
        if all(sentences_of(path) is not None for path in inputs):
            paths.update(inputs)
    texts: dict[str, None] = {}
    # In path order, as ever (the same texts in the same batches, the same vectors); web pages after the files.
    ordered: list[Location] = [*sorted(p for p in paths if isinstance(p, Path))]
    for path in [*ordered, *sorted(p for p in paths if isinstance(p, str))]:
        texts.update(dict.fromkeys(sentences_of(path) or ()))
    if texts:
        embedder.encode(list(texts))


class _SharedResources:
    """The run's Resources, loaded on first use; what the fingerprints need is known without loading them."""

    def __init__(self, given: Resources | None, judge_kind: str) -> None:
        self._loaded = given
        self._kind = judge_kind
        self._judge_id: str | None = None

    def get(self) -> Resources:
        if self._loaded is None:
            self._loaded = Resources.load(judge_kind=self._kind)
        return self._loaded

    def judge_id(self) -> str:
        if self._judge_id is None:
            loaded = self._loaded
            self._judge_id = loaded.the_judge(self._kind).id if loaded is not None else load_judge(self._kind).id
        return self._judge_id

    def has_wordnet(self) -> bool:
        return self._loaded.wordnet is not None if self._loaded is not None else data_dir() is not None


class _Documents:
    """Each input file read once per run, however many comparisons use it."""

    def __init__(self) -> None:
        self._read: dict[Location, Document | InputError] = {}

    def get(self, path: Location, *, name: str | None = None, speaker: str | None = None) -> Document:
        if path not in self._read:
            try:
                self._read[path] = read_document(path)
            except InputError as exc:
                self._read[path] = exc
        doc = self._read[path]
        if isinstance(doc, InputError):
            raise InputError(str(doc))
        return dataclasses.replace(doc, name=name or doc.name, speaker=speaker)


@dataclass(frozen=True)
class Job:
    """A comparison that is to run: its inputs as read, and the fingerprint its marker will record."""

    name: str
    outlet: Document
    sources: tuple[Document, ...]
    fingerprint: str


class Dispatch(Protocol):
    """How the comparisons run: yields, for each job in order, its Report or the ReconcileError it failed
    with (a ModelError stops the run). ``resources()`` gives the run's Resources. ``compare_locally`` is
    the default; reconcile.engine_ray.RayEngine spreads the jobs over a Ray cluster. All else (resume,
    the summary, atomic writes, the db) is the same for every engine."""

    def __call__(
        self, jobs: Sequence[Job], *, embedder: Embedder, settings: Settings, resources: Callable[[], Resources]
    ) -> Generator[Report | ReconcileError, None, None]: ...


def compare_locally(
    jobs: Sequence[Job], *, embedder: Embedder, settings: Settings, resources: Callable[[], Resources]
) -> Generator[Report | ReconcileError, None, None]:
    """Each job in this process with the run's embedder, one at a time, when the caller asks for it."""
    for job in jobs:
        try:
            yield compare(job.outlet, list(job.sources), embedder=embedder, settings=settings, resources=resources())
        except ModelError:
            raise  # the model serves every comparison: no use going on
        except ReconcileError as exc:
            yield exc


def _failed(
    comparison: Comparison, config: BatchConfig, out: Path, db: ResultsDB | None, error: str
) -> ComparisonOutcome:
    # Reports of an earlier successful run would now describe inputs that no longer hold.
    for stale in (_marker(out, comparison), *_files(out, comparison, config)):
        _remove(stale)
    if db is not None:
        db.record_failure(
            key=batch_key(out, comparison.name),
            name=comparison.name,
            outlet=comparison.outlet,
            error=error,
            created=timestamp(),
            config=str(config.path),
        )
    return ComparisonOutcome(comparison.name, comparison.outlet, Status.FAILED, error)


def _files(out: Path, comparison: Comparison, config: BatchConfig) -> list[Path]:
    return [out / f"{comparison.name}.{EXTENSIONS.get(fmt, fmt)}" for fmt in config.formats]


def _marker(out: Path, comparison: Comparison) -> Path:
    return out / MARKER_DIR / f"{comparison.name}.done.json"


def _prepare(
    comparison: Comparison,
    config: BatchConfig,
    out: Path,
    embedder: Embedder,
    documents: _Documents,
    resources: _SharedResources,
    *,
    resume: bool,
    db: ResultsDB | None = None,
) -> ComparisonOutcome | Job:
    """The comparison's inputs to run it with, or its outcome when it needs no run (unreadable, resumed)."""
    files = _files(out, comparison, config)
    try:
        outlet = documents.get(comparison.outlet)
        sources = [documents.get(s.path, name=s.name, speaker=s.speaker) for s in comparison.sources]
    except ReconcileError as exc:
        return _failed(comparison, config, out, db, str(exc))
    fingerprint = _fingerprint(
        [outlet, *sources],
        settings=config.settings,
        model_id=f"{embedder.model_id}|{getattr(embedder, 'precision', 'fp32')}",
        version=__version__,
        resources=resources,
    )
    if resume:
        figures = _completed_figures(_marker(out, comparison), fingerprint, files)
        if load_column(out / MARKER_DIR, comparison.name) is None:
            figures = None  # no column of the coverage matrix kept: run it again
        if figures is not None and (db is None or db.is_current(batch_key(out, comparison.name), fingerprint)):
            return ComparisonOutcome(
                comparison.name,
                comparison.outlet,
                Status.OK,
                resumed=True,
                files=tuple(files),
                figures=figures,
            )
    return Job(comparison.name, outlet, tuple(sources), fingerprint)


def _run_one(
    comparison: Comparison,
    job: Job,
    report: Report | ReconcileError,
    config: BatchConfig,
    out: Path,
    *,
    db: ResultsDB | None = None,
) -> ComparisonOutcome:
    """Write the reports, the db rows and the marker of a comparison that ran (or record its failure)."""
    files = _files(out, comparison, config)
    marker = _marker(out, comparison)
    outlet, sources, fingerprint = job.outlet, job.sources, job.fingerprint
    _remove(marker)  # until the new reports are all written, this comparison is not done
    if isinstance(report, ModelError):
        raise report  # the model serves every comparison: no use going on
    if isinstance(report, ReconcileError):
        return _failed(comparison, config, out, db, str(report))
    hashes = {}
    try:
        for fmt, path in zip(config.formats, files, strict=True):
            texts = {outlet.name: outlet.text, **{source.name: source.text for source in sources}}
            data = render(report, fmt, texts=texts).encode("utf-8")
            _write_atomically(path, data)
            hashes[path.name] = _sha256(data)
    except InputError as exc:  # this comparison's report path (a folder in its place): only it fails
        return _failed(comparison, config, out, db, str(exc))
    figures = _figures(report.summary())
    # The outlet's column of the coverage matrix, kept for a resumed run (coverage_matrix.py).
    save_column(out / MARKER_DIR, comparison.name, outlet_cells(report.to_dict()), _write_atomically)
    if db is not None:  # before the marker: a comparison is done once its rows are written too
        db.record(
            report,
            key=batch_key(out, comparison.name),
            name=comparison.name,
            kind="batch",
            config=str(config.path),
            fingerprint=fingerprint,
        )
    marker_data = {"fingerprint": fingerprint, "files": hashes, "figures": figures}
    _write_atomically(marker, _json_bytes(marker_data))
    return ComparisonOutcome(comparison.name, comparison.outlet, Status.OK, files=tuple(files), figures=figures)


def _fingerprint(
    documents: Sequence[Document], *, settings: Settings, model_id: str, version: str, resources: _SharedResources
) -> str:
    """A hash of all a comparison's reports depend on, the paths included: the reports name them, so a
    moved input is compared again (its text is in the embedding cache) and its reports say where it is."""
    parts = {
        "reconcile": version,
        "model": model_id,
        # What else the verdicts rest on: the support judge and the WordNet index (or its absence).
        "judge": resources.judge_id(),
        "wordnet": f"{INDEX_VERSION}/{SENSES}" if resources.has_wordnet() else None,
        "settings": settings.model_dump(mode="json"),
        "documents": [
            {"name": d.name, "path": d.path, "speaker": d.speaker, "format": d.format, "text": _sha256(d.text)}
            for d in documents
        ],
    }
    return _sha256(json.dumps(parts, sort_keys=True))


def _completed_figures(marker: Path, fingerprint: str, files: Sequence[Path]) -> dict[str, Any] | None:
    """The recorded figures if the marker matches and every report is there unchanged, else None."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        if data["fingerprint"] != fingerprint:
            return None
        for path in files:
            if data["files"].get(path.name) != _sha256(path.read_bytes()):
                return None
        figures = data["figures"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable or from another version: run the comparison again
    return figures if isinstance(figures, dict) else None


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary row's numbers, from a report's summary()."""
    counts = summary.get("counts", {})
    figures: dict[str, Any] = {"sentences": summary.get("sentences")}
    figures.update({verdict: counts.get(verdict, 0) for verdict in VERDICTS})
    figures["share_supported"] = summary.get("share_supported")
    figures["skipped"] = summary.get("skipped")
    # The quote ledger's counts per status and the omissions, for reports that have them.
    figures.update({f"quotes_{status}": n for status, n in summary.get("quotes", {}).items()})
    if "omissions" in summary:
        figures["omissions"] = summary["omissions"]
    # What triage found (report.Severity): errors and checks are what the index flags.
    if "to_check" in summary:
        figures.update({"errors": summary["to_check"]["error"], "checks": summary["to_check"]["check"]})
    return figures


_BASE_COLUMNS = (
    "name",
    "outlet",
    "status",
    "error",
    "resumed",
    "sentences",
    *VERDICTS,
    "share_supported",
    "skipped",
)


def _coverage_matrices(out: Path, config: BatchConfig, outcomes: Sequence[ComparisonOutcome]) -> list[Matrix]:
    """The coverage matrices of the outlets compared with the same sources, from the columns each comparison
    kept; written as coverage-matrix.csv (an earlier run's is removed when there is none now)."""
    columns = []
    for comparison, outcome in zip(config.comparisons, outcomes, strict=True):
        cells = load_column(out / MARKER_DIR, comparison.name) if outcome.status is Status.OK else None
        if cells is not None:
            sources = tuple((s.name, str(s.path)) for s in comparison.sources)
            columns.append((comparison.name, sources, cells))
    matrices = build_matrices(columns)
    if matrices:
        _write_atomically(out / MATRIX_CSV, matrix_csv(matrices).encode("utf-8"))
    else:
        _remove(out / MATRIX_CSV)
    return matrices


def _write_summary(
    out: Path,
    config: BatchConfig,
    embedder: Embedder,
    outcomes: Sequence[ComparisonOutcome],
    *,
    complete: bool,
    matrices: Sequence[Matrix] = (),
) -> tuple[Path, Path]:
    rows = [outcome.row() for outcome in outcomes]
    extra = dict.fromkeys(k for row in rows for k in row if k not in _BASE_COLUMNS)
    columns = [*_BASE_COLUMNS, *extra]
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome.status is Status.OK:
            # The extra columns are counts: a quote status no report of this row has is 0 quotes.
            row.update({k: 0 for k in extra if k not in row})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k)) for k in columns})
    summary_csv, summary_json = out / "summary.csv", out / "summary.json"
    _write_atomically(summary_csv, buffer.getvalue().encode("utf-8"))
    document = {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "config": str(config.path),
        "model": embedder.model_id,
        "formats": list(config.formats),
        "totals": {
            "comparisons": len(outcomes),
            "ok": sum(o.status is Status.OK for o in outcomes),
            "failed": sum(o.status is Status.FAILED for o in outcomes),
            "resumed": sum(o.resumed for o in outcomes),
            # Only while some are: a finished run's totals are what they always were.
            **({"pending": n} if (n := sum(o.status is Status.PENDING for o in outcomes)) else {}),
        },
        "complete": complete,  # false: the run was still going (or was killed) when this was written
        "comparisons": rows,
    }
    _write_atomically(summary_json, _json_bytes(document))
    if "html" in config.formats:
        from .render.batch_index import render_batch_index

        index_rows = [{**row, "files": [p.name for p in o.files]} for row, o in zip(rows, outcomes, strict=True)]
        title = f"reconcile batch: {config.path.name}"
        index = render_batch_index(index_rows, title=title, columns=columns, matrices=matrices)
        _write_atomically(out / "index.html", index.encode("utf-8"))
    return summary_csv, summary_json


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in summary.json
    return value


# --- files --------------------------------------------------------------------------------------


def _sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _make_dirs(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot create the output folder ({exc.strerror or exc}); pass a writable --output-dir"
        ) from None


def _write_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, data, fix="free some space or pass a writable --output-dir")


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # a stale file we cannot remove is left as it is; the summary still says what happened
