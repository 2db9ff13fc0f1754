"""Writing output files: whole or not at all."""

from __future__ import annotations

import errno
import os
import stat
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


def write_output(path: Path, data: bytes, *, fix: str) -> None:
    """Write a report where the user pointed: a regular file (or a link to one) whole, through a temp file;
    a device, a FIFO or a link to one written through, as the shell's ``>`` does, never replaced by a file.

    A FIFO that no process reads is refused rather than waited on.
    """
    try:
        found = os.stat(path)  # follows links: what the path leads to
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc}); {fix}") from None
    if found is None or stat.S_ISREG(found.st_mode):
        # A link to a file: the file it leads to is written, and the link stays.
        write_atomically(Path(os.path.realpath(path)) if path.is_symlink() else path, data, fix=fix)
        return
    if not (stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode) or stat.S_ISSOCK(found.st_mode)):
        raise InputError(f"{path}: is neither a file nor a device or pipe; {fix}")
    try:
        # Non-blocking open: a FIFO with no reader fails now (ENXIO) instead of hanging the run.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError(f"{path}: is a pipe (FIFO) that nothing reads; start its reader first, or {fix}") from None
        raise InputError(f"{path}: cannot write ({exc.strerror or exc}); {fix}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc}); {fix}") from None
    finally:
        os.close(fd)
