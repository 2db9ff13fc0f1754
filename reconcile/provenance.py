"""The evidence pack: what a report rests on, recorded so that a finding can be re-checked later.

Every report records the SHA-256 of each input text as read (the decoded text with mark-up removed,
the text every offset refers to), the model, the support judge, the settings, the reconcile version
and the time. ``verify_report`` re-reads the inputs a JSON report names and says whether each still
hashes the same.

The time is the one part of a report that differs between two runs over the same inputs. It comes
from ``now()``, which honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: whole
seconds since 1970): set it, and two runs write byte-identical reports. The test suite sets it for
the whole session, so the golden files and every byte-for-byte comparison stay stable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, ReconcileError, UsageError
from .version import __version__

if TYPE_CHECKING:
    from .documents import Document
    from .report import Report

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# Paths a report records for inputs that were never files: nothing to re-read.
_NOT_FILES = {"-": "read from stdin", "<text>": "given as text, not as a file"}


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of a text as UTF-8: what reports record for each input."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> datetime:
    """The time a report records: ``SOURCE_DATE_EPOCH`` when set, else the clock; UTC, whole seconds."""
    fixed = os.environ.get(EPOCH_VARIABLE)
    if fixed is not None and fixed.strip():
        try:
            seconds = int(fixed.strip())
        except ValueError:
            raise UsageError(
                f"{EPOCH_VARIABLE}={fixed[:80]!r} is not a whole number of seconds since 1970; set it to one or "
                "unset it"
            ) from None
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):  # past year 9999, or before year 1
            raise UsageError(
                f"{EPOCH_VARIABLE}={fixed[:80]!r} is out of range (years 1 to 9999); set it to seconds since 1970, "
                "e.g. 1733011200, or unset it"
            ) from None
    return datetime.now(UTC).replace(microsecond=0)


def timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 in UTC with a Z, to the second: "2026-12-01T15:05:05Z" (``now()`` when not given)."""
    moment = now() if moment is None else moment
    if moment.tzinfo is None:
        raise UsageError("the report time must say its time zone (a datetime with tzinfo, e.g. datetime.now(UTC))")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class InputState(str, Enum):
    """What re-reading one input of a report found."""

    MATCHES = "matches"
    DIFFERS = "differs"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class InputCheck:
    """One input of a report, re-read: its role (outlet or source), name, path and what was found."""

    role: str
    name: str
    path: str
    state: InputState
    recorded: str  # the SHA-256 the report records
    found: str | None = None  # the SHA-256 of the text as read now; None when it cannot be read
    problem: str | None = None  # why it cannot be read


def load_report(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A JSON report's content; InputError (one line, with the fix) if it is not a readable report."""
    label = os.fspath(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{label}: report not found; give the path of a JSON report (--format json)") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read the report ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise InputError(f"{label}: not a JSON report; verify reads reports written with --format json") from None
    if not isinstance(data, dict) or not isinstance(data.get("outlet"), dict) or "schema_version" not in data:
        raise InputError(f"{label}: not a reconcile JSON report (no schema_version and outlet)")
    return data


def recorded_inputs(report: dict[str, Any], *, label: str) -> list[tuple[str, dict[str, Any]]]:
    """(role, entry) for the outlet and each source; InputError if the report records no hashes."""
    sources = report.get("sources")
    inputs = [("outlet", report["outlet"]), *(("source", s) for s in (sources if isinstance(sources, list) else []))]
    for _, entry in inputs:
        if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("sha256", "path"))):
            raise InputError(
                f"{label}: the report (schema_version {report.get('schema_version')}) records no SHA-256 of its "
                "inputs; reports of schema 1.3 or later can be verified: compare again to write one"
            )
    return inputs


def verify_report(path: str | os.PathLike[str]) -> list[InputCheck]:
    """Re-read every input a JSON report names and compare its SHA-256 with the recorded one.

    Paths are read as the report records them: relative ones from the current folder (batch
    reports record absolute paths). Raises InputError if the report itself cannot be read; an
    input that cannot be read is an InputCheck in state UNREADABLE.
    """
    from .documents import read_document

    label = os.fspath(path)
    checks: list[InputCheck] = []
    for role, entry in recorded_inputs(load_report(path), label=label):
        name, where, recorded = str(entry.get("name", "")), entry["path"], entry["sha256"]
        if where in _NOT_FILES:
            problem = f"{_NOT_FILES[where]}: it cannot be re-read; compare again with the input as a file"
            checks.append(InputCheck(role, name, where, InputState.UNREADABLE, recorded, problem=problem))
            continue
        try:
            found = text_sha256(read_document(where).text)
        except ReconcileError as exc:
            checks.append(InputCheck(role, name, where, InputState.UNREADABLE, recorded, problem=str(exc)))
            continue
        state = InputState.MATCHES if found == recorded else InputState.DIFFERS
        checks.append(InputCheck(role, name, where, state, recorded, found))
    return checks


def stamp(report: Report, outlet: Document, sources: Sequence[Document], *, created: str) -> Report:
    """The report with its evidence pack: each input's SHA-256, the reconcile version and the time."""
    if [report.outlet.name, *(s.name for s in report.sources)] != [outlet.name, *(s.name for s in sources)]:
        raise ValueError("stamp: the documents are not the report's inputs")  # a caller's bug, not an input's
    return dataclasses.replace(
        report,
        outlet=dataclasses.replace(report.outlet, sha256=text_sha256(outlet.text)),
        sources=tuple(
            dataclasses.replace(info, sha256=text_sha256(doc.text))
            for info, doc in zip(report.sources, sources, strict=True)
        ),
        version=__version__,
        created=created,
    )
