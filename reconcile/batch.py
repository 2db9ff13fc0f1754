"""Many comparisons from one YAML config: validate it, run them with one shared model, write reports.

    config = load_batch_config("configs/example.yaml")
    result = run_batch(config, cache_dir=default_cache_dir())

One embedder serves the whole run, so the model loads once and each distinct sentence is encoded
once however many comparisons share a source. A comparison whose input cannot be read is recorded
as failed and the others go on. Every file is written atomically (temp file + os.replace).

Resume: after a comparison's reports are written, a marker ``<output_dir>/.reconcile/<name>.done.json``
records a fingerprint of its inputs (the texts, names and speakers of the outlet and sources, the
settings, the model and the reconcile version), the SHA-256 of each report file, and its summary figures.
``resume=True`` skips a comparison whose marker matches its current fingerprint and whose report files
all still have the recorded hashes. The markers live in a hidden folder of their own so that their
names can never collide with a report's (a comparison named "x.done" writes "x.done.json").
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import __version__
from .compare import compare
from .documents import Document, read_document
from .embed import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder, memoized, resolve_model_path
from .errors import ConfigError, InputError, ModelError, ReconcileError, UsageError
from .files import write_atomically
from .memo import memo_scope
from .render import EXTENSIONS, RENDERERS, render
from .report import Verdict
from .resources import Resources
from .segment import segment
from .settings import Settings
from .wordnet import INDEX_VERSION, SENSES

SUMMARY_SCHEMA_VERSION = "1.0"
MARKER_DIR = ".reconcile"
VERDICTS = tuple(v.value for v in Verdict)

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, name)`` before each comparison starts, and with name "" at the end."""


# --- the config file ----------------------------------------------------------------------------

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Device names Windows will not open as files, whatever the extension.
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_RESERVED = frozenset({"summary", "index"})  # summary.json / .csv and index.html belong to the batch itself


def _base_dir(info: ValidationInfo) -> Path | None:
    return info.context.get("base") if isinstance(info.context, dict) else None


def _existing_file(value: str, info: ValidationInfo) -> str:
    """Resolve a path against the config's folder and check that it is a file."""
    base = _base_dir(info)
    if base is None:  # validated outside load_batch_config: leave the path as written
        return value
    if not value.strip():
        raise PydanticCustomError("empty_path", "the path is empty; give a file's path")
    path = (base / Path(value).expanduser()).resolve()  # an absolute path stays as it is under "/"
    if path.is_dir():
        raise PydanticCustomError("is_directory", "{path} is a directory; give a file", {"path": str(path)})
    if not path.is_file():
        raise PydanticCustomError("file_not_found", "file not found: {path}", {"path": str(path)})
    return str(path)


def _output_dir(value: str, info: ValidationInfo) -> str:
    base = _base_dir(info)
    if base is None:
        return value
    return str((base / Path(value).expanduser()).resolve())


def _model_path(value: str | None, info: ValidationInfo) -> str | None:
    base = _base_dir(info)
    if value is None or value == DEFAULT_MODEL or base is None:
        return value
    try:
        return str(resolve_model_path((base / Path(value).expanduser()).resolve()))
    except ModelError as exc:
        raise PydanticCustomError("model", "{message}", {"message": str(exc)}) from None


def _known_format(value: str) -> str:
    if value not in RENDERERS:
        raise PydanticCustomError(
            "unknown_format",
            "unknown format '{value}'; use one of {allowed}",
            {"value": value, "allowed": ", ".join(sorted(RENDERERS))},
        )
    return value


def _safe_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value) or value.endswith("."):
        raise PydanticCustomError(
            "unsafe_name",
            "'{name}' cannot be a file name; use letters, digits, '.', '_' and '-', starting with a "
            "letter or digit (at most 100 characters)",
            {"name": value},
        )
    if value.casefold() in _RESERVED:
        raise PydanticCustomError(
            "reserved_name",
            "'{name}' is reserved for the summary files; choose another name",
            {"name": value},
        )
    if value.split(".")[0].upper() in _WINDOWS_DEVICES:
        raise PydanticCustomError(
            "reserved_name", "'{name}' is a device name on Windows; choose another name", {"name": value}
        )
    return value


def _known_source(value: str, info: ValidationInfo) -> str:
    names = info.context.get("source_names") if isinstance(info.context, dict) else None
    if names is None or value in names:  # None: the sources mapping itself is invalid, reported there
        return value
    close = difflib.get_close_matches(value, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    defined = f"the sources defined are {', '.join(names)}" if names else "no sources are defined"
    raise PydanticCustomError(
        "unknown_source",
        "unknown source '{value}'; {hint}{defined} (under sources: at the top), or give the source "
        "here as a mapping with path: and name:",
        {"value": value, "hint": hint, "defined": defined},
    )


class _SourceFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Annotated[str, AfterValidator(_existing_file)]
    name: Annotated[str, Field(min_length=1)] | None = None
    speaker: Annotated[str, Field(min_length=1)] | None = None


def _source_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "ref"
    if isinstance(value, dict):
        return "file"
    return None


# An entry of a comparison's sources: the name of a source defined at the top, or a source of its own.
# The discriminator gives one clear error for anything else, where a plain union would give two.
_SourceItem = Annotated[
    Annotated[str, AfterValidator(_known_source), Tag("ref")] | Annotated[_SourceFile, Tag("file")],
    Discriminator(
        _source_kind,
        custom_error_type="source_item",
        custom_error_message=("give the name of a source defined under sources:, or a mapping {path, name, speaker}"),
    ),
]
_UNION_TAGS = frozenset({"ref", "file"})


class _Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, AfterValidator(_safe_name)]
    outlet: Annotated[str, AfterValidator(_existing_file)]
    sources: list[_SourceItem] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _distinct_source_names(cls, sources: list[str | _SourceFile], info: ValidationInfo) -> list[str | _SourceFile]:
        # compare() refuses two sources of one name too, but its message speaks of CLI options.
        shown = info.context.get("display_names", {}) if isinstance(info.context, dict) else {}
        names = [
            shown.get(item, item) if isinstance(item, str) else item.name or Path(item.path).stem for item in sources
        ]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise PydanticCustomError(
                "duplicate_source",
                "two sources are named '{name}'; give them different name: values",
                {"name": twice[0]},
            )
        return sources


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    output_dir: Annotated[str, AfterValidator(_output_dir)] | None = None
    formats: list[Annotated[str, AfterValidator(_known_format)]] = Field(default_factory=lambda: ["json"], min_length=1)
    model: Annotated[str | None, AfterValidator(_model_path)] = None
    settings: Settings = Field(default_factory=Settings)
    sources: dict[Annotated[str, Field(min_length=1)], _SourceFile] = Field(default_factory=dict)
    comparisons: list[_Comparison] = Field(min_length=1)


@dataclass(frozen=True)
class SourceRef:
    """A source of one comparison, its path resolved."""

    name: str
    path: Path
    speaker: str | None = None


@dataclass(frozen=True)
class Comparison:
    """One outlet against its sources; its reports are named after ``name``."""

    name: str
    outlet: Path
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class BatchConfig:
    """A validated batch config; every path in it is absolute."""

    path: Path
    comparisons: tuple[Comparison, ...]
    output_dir: Path | None = None
    formats: tuple[str, ...] = ("json",)
    model: str | None = None
    settings: Settings = field(default_factory=Settings)


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key '{key_node.value}' appears twice in one mapping",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_batch_config(path: str | os.PathLike[str]) -> BatchConfig:
    """Read and validate a batch config; raise one ConfigError listing every problem in it."""
    config_path = Path(path)
    label = os.fspath(path)
    try:
        data = config_path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{label}: config file not found; check the path") from None
    except IsADirectoryError:
        raise ConfigError(f"{label}: is a directory; give the config's YAML file") from None
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read the config ({exc.strerror or exc}); check the path") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not valid UTF-8 (byte offset {exc.start}); re-save it as UTF-8") from None
    raw = _parse_yaml(text, label)
    if raw is None:
        raise ConfigError(
            f"{label}: the config is empty; give output_dir:, formats:, sources: and comparisons: "
            "(see configs/example.yaml)"
        )
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{label}: the config must be a mapping (output_dir:, formats:, sources:, comparisons:), "
            f"not a {_yaml_kind(raw)}; see configs/example.yaml"
        )

    base = config_path.resolve().parent
    raw_sources = raw.get("sources", {})
    context: dict[str, Any] = {"base": base, "source_names": None, "display_names": {}}
    if isinstance(raw_sources, dict):
        context["source_names"] = [str(k) for k in raw_sources]
        context["display_names"] = {
            str(k): v["name"] if isinstance(v, dict) and isinstance(v.get("name"), str) else str(k)
            for k, v in raw_sources.items()
        }
    problems: list[tuple[tuple[str | int, ...], str]] = []
    model: _ConfigFile | None = None
    try:
        model = _ConfigFile.model_validate(raw, context=context)
    except ValidationError as exc:
        problems.extend(_problem(error) for error in exc.errors())
    # Checked on the raw data so that a duplicate is reported even when other entries are invalid.
    problems.extend(_duplicate_names(raw.get("comparisons")))
    if problems or model is None:
        raise ConfigError(_problems_message(label, base, problems, list(raw)))
    return _resolve(model, config_path.resolve())


def _parse_yaml(text: str, label: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: tags that build objects are refused
    except yaml.constructor.ConstructorError as exc:
        where = f": line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        tag = re.search(r"tag '([^']+)'", exc.problem or "")
        if tag:
            shown = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            raise ConfigError(
                f"{label}{where}: the YAML tag '{shown}' is refused: configs are read safely and hold only "
                "mappings, lists, strings, numbers, booleans and null; remove the tag"
            ) from None
        raise ConfigError(f"{label}{where}: {exc.problem}; fix the YAML") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(
            f"{label}: not valid YAML: {exc.problem}{where}; check the indentation and quoting there"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{label}: not valid YAML ({exc}); check the file") from None


def _yaml_kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def _problem(error: Any) -> tuple[tuple[str | int, ...], str]:
    """A pydantic error as (dotted location, message), in the config's own terms."""
    loc: list[str | int] = []
    for part in error["loc"]:
        # The union's tags are pydantic's bookkeeping, not keys of the file.
        if part in _UNION_TAGS and len(loc) >= 2 and isinstance(loc[-1], int) and loc[-2] == "sources":
            continue
        loc.append(part)
    message = str(error["msg"])
    message = message[:1].lower() + message[1:]
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(tuple(loc[:-1]))
        if allowed:
            message += f" (allowed here: {', '.join(allowed)})"
    return tuple(loc), message


def _allowed_keys(where: tuple[str | int, ...]) -> list[str]:
    match where:
        case ():
            return list(_ConfigFile.model_fields)
        case ("settings",):
            return list(Settings.model_fields)
        case ("comparisons", int()):
            return list(_Comparison.model_fields)
        case ("sources", str()) | ("comparisons", int(), "sources", int()):
            return list(_SourceFile.model_fields)
    return []


def _duplicate_names(comparisons: Any) -> list[tuple[tuple[str | int, ...], str]]:
    if not isinstance(comparisons, list):
        return []
    first: dict[str, int] = {}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for i, entry in enumerate(comparisons):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        # casefold: on macOS and Windows "Seed" and "seed" would write the same report files.
        key = name.casefold()
        if key in first:
            problems.append(
                (
                    ("comparisons", i, "name"),
                    f"'{name}' is already the name of comparisons.{first[key]}; names must be unique "
                    "(they name the report files)",
                )
            )
        else:
            first[key] = i
    return problems


def _problems_message(
    label: str, base: Path, problems: list[tuple[tuple[str | int, ...], str]], key_order: list[Any]
) -> str:
    def order(item: tuple[tuple[str | int, ...], str]) -> tuple[Any, ...]:
        loc = item[0]
        head = key_order.index(loc[0]) if loc and loc[0] in key_order else len(key_order)
        return (head, *((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in loc[1:]))

    unique = sorted(dict.fromkeys(problems), key=order)
    several = len(unique) != 1
    lines = [
        f"{label}: {len(unique)} problem{'s' if several else ''} in the batch config; "
        f"fix {'them' if several else 'it'} and run again"
    ]
    if any(message.startswith("file not found") for _, message in unique):
        lines[0] += f" (relative paths are read from {base})"
    lines.extend(f"  {'.'.join(map(str, loc)) or '(top level)'}: {message}" for loc, message in unique)
    return "\n".join(lines)


def _resolve(model: _ConfigFile, config_path: Path) -> BatchConfig:
    comparisons = []
    for entry in model.comparisons:
        refs = []
        for item in entry.sources:
            if isinstance(item, str):
                named = model.sources[item]
                refs.append(SourceRef(named.name or item, Path(named.path), named.speaker))
            else:
                refs.append(SourceRef(item.name or Path(item.path).stem, Path(item.path), item.speaker))
        comparisons.append(Comparison(entry.name, Path(entry.outlet), tuple(refs)))
    return BatchConfig(
        path=config_path,
        comparisons=tuple(comparisons),
        output_dir=Path(model.output_dir) if model.output_dir is not None else None,
        formats=tuple(dict.fromkeys(model.formats)),
        model=model.model,
        settings=model.settings,
    )


# --- running ------------------------------------------------------------------------------------


class Status(str, Enum):  # noqa: UP042 - the project's enums are (str, Enum), like Verdict
    """How a comparison of the batch ended."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class ComparisonOutcome:
    """One comparison's result: its report files, or why it failed."""

    name: str
    outlet: Path
    status: Status
    error: str | None = None
    resumed: bool = False
    files: tuple[Path, ...] = ()
    # sentences, one count per verdict, share_supported, skipped, and quotes_* / omissions when reported
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
) -> BatchResult:
    """Run every comparison of the config with one shared embedder; write reports and the summary.

    ``output_dir`` overrides the config's. Without ``embedder``, one SentenceTransformerEmbedder of the
    config's model is made, encoding in ``precision`` (fp32 or bf16), with its on-disk cache in
    ``cache_dir`` (None: no disk cache); a given
    embedder is used as it is (``config.model`` and ``cache_dir`` are then ignored). Raises
    ReconcileError only for what stops the whole run (no output folder, a model that cannot load, a
    report that cannot be written); a comparison whose inputs are bad is recorded as failed.
    ``resources`` (WordNet, opposites, weights) are loaded once for the run when not given.
    """
    if output_dir is not None:
        out = Path(output_dir)
    elif config.output_dir is not None:
        out = config.output_dir
    else:
        raise UsageError(f"{config.path}: no output folder; add output_dir: to the config or pass --output-dir")
    _make_dirs(out / MARKER_DIR)
    if embedder is None:
        embedder = SentenceTransformerEmbedder(config.model, cache_dir=cache_dir, precision=precision)
    # compare() memoizes only within one comparison; wrapping here makes it once per run for any embedder.
    embedder = memoized(embedder)
    resources = resources or Resources.load()
    documents = _Documents()
    outcomes: list[ComparisonOutcome] = []
    total = len(config.comparisons)
    if not resume:
        _encode_up_front(config, documents, embedder)
    # One memo scope for the run: a source shared by many comparisons is tokenised once.
    with memo_scope():
        for done, comparison in enumerate(config.comparisons):
            if progress is not None:
                progress(done, total, comparison.name)
            outcomes.append(_run_one(comparison, config, out, embedder, documents, resources, resume=resume))
    if progress is not None:
        progress(total, total, "")
    summary_csv, summary_json = _write_summary(out, config, embedder, outcomes)
    return BatchResult(out, tuple(outcomes), summary_csv, summary_json)


def _encode_up_front(config: BatchConfig, documents: _Documents, embedder: Embedder) -> None:
    """Encode every sentence of every readable input in one call before the comparisons run.

    One large batch keeps the model busy; comparison by comparison, each outlet sentence would be
    a batch of one, and per-call overhead, not the model, would set the pace. (With --resume this
    is skipped: most comparisons may need no encoding at all.) Only the inputs of comparisons that
    will run are encoded: a comparison with an unreadable input, or one without sentences, fails
    before it encodes anything, so its other texts would load the model for nothing.
    """
    sentences: dict[Path, list[str] | None] = {}

    def sentences_of(path: Path) -> list[str] | None:
        if path not in sentences:
            try:
                document = documents.get(path)
            except ReconcileError:
                sentences[path] = None  # recorded as that comparison's failure when it runs
            else:
                sentences[path] = [sentence.text for sentence in segment(document.text).sentences] or None
        return sentences[path]

    paths: set[Path] = set()
    for comparison in config.comparisons:
        inputs = [comparison.outlet, *(s.path for s in comparison.sources)]
        if all(sentences_of(path) is not None for path in inputs):
            paths.update(inputs)
    texts: dict[str, None] = {}
    for path in sorted(paths):  # in path order, as ever: the same texts in the same batches, the same vectors
        texts.update(dict.fromkeys(sentences_of(path) or ()))
    if texts:
        embedder.encode(list(texts))


class _Documents:
    """Each input file read once per run, however many comparisons use it."""

    def __init__(self) -> None:
        self._read: dict[Path, Document | InputError] = {}

    def get(self, path: Path, *, name: str | None = None, speaker: str | None = None) -> Document:
        if path not in self._read:
            try:
                self._read[path] = read_document(path)
            except InputError as exc:
                self._read[path] = exc
        doc = self._read[path]
        if isinstance(doc, InputError):
            raise InputError(str(doc))
        return dataclasses.replace(doc, name=name or doc.name, speaker=speaker)


def _run_one(
    comparison: Comparison,
    config: BatchConfig,
    out: Path,
    embedder: Embedder,
    documents: _Documents,
    resources: Resources,
    *,
    resume: bool,
) -> ComparisonOutcome:
    files = [out / f"{comparison.name}.{EXTENSIONS.get(fmt, fmt)}" for fmt in config.formats]
    marker = out / MARKER_DIR / f"{comparison.name}.done.json"

    def failed(error: str) -> ComparisonOutcome:
        # Reports of an earlier successful run would now describe inputs that no longer hold.
        for stale in (marker, *files):
            _remove(stale)
        return ComparisonOutcome(comparison.name, comparison.outlet, Status.FAILED, error)

    try:
        outlet = documents.get(comparison.outlet)
        sources = [documents.get(s.path, name=s.name, speaker=s.speaker) for s in comparison.sources]
    except ReconcileError as exc:
        return failed(str(exc))
    fingerprint = _fingerprint(
        [outlet, *sources],
        settings=config.settings,
        model_id=f"{embedder.model_id}|{getattr(embedder, 'precision', 'fp32')}",
        version=__version__,
        resources=resources,
    )
    if resume:
        figures = _completed_figures(marker, fingerprint, files)
        if figures is not None:
            return ComparisonOutcome(
                comparison.name,
                comparison.outlet,
                Status.OK,
                resumed=True,
                files=tuple(files),
                figures=figures,
            )
    _remove(marker)  # until the new reports are all written, this comparison is not done
    try:
        report = compare(outlet, sources, embedder=embedder, settings=config.settings, resources=resources)
    except ModelError:
        raise  # the model serves every comparison: no use going on
    except ReconcileError as exc:
        return failed(str(exc))
    hashes = {}
    for fmt, path in zip(config.formats, files, strict=True):
        texts = {outlet.name: outlet.text, **{source.name: source.text for source in sources}}
        data = render(report, fmt, texts=texts).encode("utf-8")
        _write_atomically(path, data)
        hashes[path.name] = _sha256(data)
    figures = _figures(report.summary())
    marker_data = {"fingerprint": fingerprint, "files": hashes, "figures": figures}
    _write_atomically(marker, _json_bytes(marker_data))
    return ComparisonOutcome(comparison.name, comparison.outlet, Status.OK, files=tuple(files), figures=figures)


def _fingerprint(
    documents: Sequence[Document], *, settings: Settings, model_id: str, version: str, resources: Resources
) -> str:
    """A hash of all a comparison's reports depend on; not the paths, so a moved file is the same input."""
    parts = {
        "reconcile": version,
        "model": model_id,
        # What else the verdicts rest on: the score's weights and the WordNet index (or its absence).
        "calibration": resources.calibration,
        "wordnet": f"{INDEX_VERSION}/{SENSES}" if resources.wordnet is not None else None,
        "settings": settings.model_dump(mode="json"),
        "documents": [
            {"name": d.name, "speaker": d.speaker, "format": d.format, "text": _sha256(d.text)} for d in documents
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


def _write_summary(
    out: Path, config: BatchConfig, embedder: Embedder, outcomes: Sequence[ComparisonOutcome]
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
        },
        "comparisons": rows,
    }
    _write_atomically(summary_json, _json_bytes(document))
    if "html" in config.formats:
        from .render.html import render_batch_index

        index_rows = [{**row, "files": [p.name for p in o.files]} for row, o in zip(rows, outcomes, strict=True)]
        index = render_batch_index(index_rows, title=f"reconcile batch: {config.path.name}")
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
