"""Batch configs: the YAML file read safely and validated (pydantic, every problem at once), resolved
into frozen BatchConfig / Comparison / SourceRef with absolute paths."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
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

from .documents import close_names
from .embed import DEFAULT_MODEL, resolve_model_path
from .errors import ConfigError, ModelError, UsageError
from .fetch import check_url, is_url, url_stem
from .render import RENDERERS
from .settings import Settings

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Device names Windows will not open as files, whatever the extension.
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_RESERVED = frozenset({"summary", "index"})  # summary.json / .csv and index.html belong to the batch itself


def _base_dir(info: ValidationInfo) -> Path | None:
    return info.context.get("base") if isinstance(info.context, dict) else None


def _existing_file(value: str, info: ValidationInfo) -> str:
    """Resolve a path against the config's folder and check that it is a file; a URL is checked as a URL
    (http or https, with a host) and fetched only when the comparison runs."""
    if is_url(value):
        try:
            return check_url(value)
        except UsageError as exc:
            raise PydanticCustomError("url", "{message}", {"message": str(exc)}) from None
    base = _base_dir(info)
    if base is None:  # validated outside load_batch_config: leave the path as written
        return value
    if not value.strip():
        raise PydanticCustomError("empty_path", "the path is empty; give a file's path")
    path = _resolved(base, value)
    if path.is_dir():
        raise PydanticCustomError(
            "is_directory", "{path} is a directory; give a file", {"path": _shown_path(str(path))}
        )
    if path.exists() and not path.is_file():
        raise PydanticCustomError(
            "not_a_file",
            "{path} is not a regular file (a pipe or a device); give a file",
            {"path": _shown_path(str(path))},
        )
    if not path.is_file():
        close = close_names(str(path)) if len(path.name) <= 255 else []  # no file has a longer name
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise PydanticCustomError(
            "file_not_found", "file not found: {path}{hint}", {"path": _shown_path(str(path)), "hint": hint}
        )
    return str(path)


def _shown(value: str, most: int = 80) -> str:
    """A value as an error message quotes it: at most ``most`` characters (a name may be any size, and a YAML
    alias can repeat it thousands of times)."""
    return value if len(value) <= most else f"{value[: most - 3]}..."


def _shown_path(path: str) -> str:
    """A path as an error message quotes it: its last 200 characters at most (the file's name is at the end)."""
    return path if len(path) <= 200 else f"...{path[-197:]}"


def _resolved(base: Path, value: str) -> Path:
    """``value`` against the config's folder, ``~`` expanded; an absolute path stays as it is under "/"."""
    try:
        expanded = Path(value).expanduser()
    except RuntimeError:  # ~nosuchuser: pathlib cannot tell whose home it is
        raise PydanticCustomError(
            "unknown_user",
            "{value}: no such user's home folder for ~; write the path in full",
            {"value": _shown(value)},
        ) from None
    try:
        return (base / expanded).resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop (RuntimeError before Python 3.13, OSError since)
        raise PydanticCustomError(
            "unresolvable",
            "{path}: cannot be resolved ({reason}); check the links on the way to it",
            {"path": _shown_path(str(base / expanded)), "reason": _shown(str(exc))},
        ) from None


def _output_dir(value: str, info: ValidationInfo) -> str:
    base = _base_dir(info)
    if base is None:
        return value
    return str(_resolved(base, value))


def _model_path(value: str | None, info: ValidationInfo) -> str | None:
    base = _base_dir(info)
    if value is None or value == DEFAULT_MODEL or base is None:
        return value
    try:
        return str(resolve_model_path(_resolved(base, value)))
    except ModelError as exc:
        raise PydanticCustomError("model", "{message}", {"message": str(exc)}) from None


def _known_format(value: str) -> str:
    if value not in RENDERERS:
        raise PydanticCustomError(
            "unknown_format",
            "unknown format '{value}'; use one of {allowed}",
            {"value": _shown(value), "allowed": ", ".join(sorted(RENDERERS))},
        )
    return value


def _safe_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value) or value.endswith("."):
        raise PydanticCustomError(
            "unsafe_name",
            "'{name}' cannot be a file name; use letters, digits, '.', '_' and '-', starting with a "
            "letter or digit (at most 100 characters)",
            {"name": _shown(value)},
        )
    if value.casefold() in _RESERVED:
        raise PydanticCustomError(
            "reserved_name",
            "'{name}' is reserved for the summary files; choose another name",
            {"name": _shown(value)},
        )
    if value.split(".")[0].upper() in _WINDOWS_DEVICES:
        raise PydanticCustomError(
            "reserved_name", "'{name}' is a device name on Windows; choose another name", {"name": _shown(value)}
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
        {"value": _shown(value), "hint": hint, "defined": _shown(defined, 400)},
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
        names = [shown.get(item, item) if isinstance(item, str) else item.name or _stem(item.path) for item in sources]
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


# An input of a batch: a file's resolved path, or a web page's URL as written (read_document fetches it).
Location = Path | str


def _location(value: str) -> Location:
    return value if is_url(value) else Path(value)


def _stem(value: str) -> str:
    return url_stem(value) if is_url(value) else Path(value).stem


@dataclass(frozen=True)
class SourceRef:
    """A source of one comparison, its path resolved (or its URL)."""

    name: str
    path: Location
    speaker: str | None = None


@dataclass(frozen=True)
class Comparison:
    """One outlet against its sources; its reports are named after ``name``."""

    name: str
    outlet: Location
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class BatchConfig:
    """A validated batch config; every path in it is absolute (a URL stays as written)."""

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
    except RecursionError:  # PyYAML composes nested nodes recursively
        raise ConfigError(
            f"{label}: the YAML is nested too deeply to read; a config is a few levels deep (see configs/example.yaml)"
        ) from None


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
        # Said where the key stands (its parent's dotted path), with the nearest allowed key: a typo
        # ("speeker") or the command line's spelling ("output-dir") is then one look.
        key, loc = str(loc[-1]), loc[:-1]
        allowed = _allowed_keys(tuple(loc))
        close = difflib.get_close_matches(key.replace("-", "_"), allowed, n=1, cutoff=0.6)
        message = f"unknown key '{key}'" + (f"; did you mean '{close[0]}'?" if close else "")
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
                    f"'{_shown(name)}' is already the name of comparisons.{first[key]}; names must be unique "
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
                refs.append(SourceRef(named.name or item, _location(named.path), named.speaker))
            else:
                refs.append(SourceRef(item.name or _stem(item.path), _location(item.path), item.speaker))
        comparisons.append(Comparison(entry.name, _location(entry.outlet), tuple(refs)))
    return BatchConfig(
        path=config_path,
        comparisons=tuple(comparisons),
        output_dir=Path(model.output_dir) if model.output_dir is not None else None,
        formats=tuple(dict.fromkeys(model.formats)),
        model=model.model,
        settings=model.settings,
    )


# --- running ------------------------------------------------------------------------------------
