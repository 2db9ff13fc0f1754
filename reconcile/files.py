"""Writing output files: whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError


def write_atomically(path: Path, data: bytes, *, fix: str) -> None:
    """Write through a temp file in the same folder, so a reader never sees half a file.

    Bytes, not text: no newline translation, so a hash of the data matches the file. ``fix`` ends
    the one-line error when the write fails (what the user can do about it).
    """
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror or exc}); {fix}") from None
