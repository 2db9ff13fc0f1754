"""Bytes to text, strictly: what every input (a file, stdin, a form's upload, a fetched page) is decoded with.

A module below documents.py and fetch.py, which both decode: UTF-8, or UTF-16 with a byte-order mark;
anything else is an InputError that says how to fix it.
"""

from __future__ import annotations

import codecs

from reconcile.errors import InputError

_PDF_MAGIC = b"%PDF-"


def _pdf_message(label: str) -> str:
    # A path as typed is shown back in the command to run; stdin or a form's upload get placeholders.
    pdf = label if label.lower().endswith(".pdf") and " (" not in label else "file.pdf"
    txt = pdf[:-4] + ".txt"
    fix = f"convert it to text first, e.g. pdftotext {pdf} {txt}, then pass {txt}"
    return f"{label}: is a PDF, and PDFs are not read yet; {fix}"


def decode_bytes(data: bytes, label: str) -> str:
    """Strictly decoded text (UTF-8, or UTF-16 with a BOM); InputError with the fix for a PDF, binary data or
    another encoding. ``label`` names the input in the message."""
    if data.lstrip()[: len(_PDF_MAGIC)] == _PDF_MAGIC:
        raise InputError(_pdf_message(label))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{label}: not valid UTF-16 ({e.reason}); re-save it as UTF-8") from None
    else:
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        if b"\x00" in data:
            raise InputError(f"{label}: looks binary (NUL bytes), not text; give a .txt, .md or .html file")
        try:
            text = data[bom:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(
                f"{label}: not valid UTF-8 (byte 0x{data[bom + e.start]:02x} at offset {bom + e.start}); "
                "re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8"
            ) from None
    if "\x00" in text:
        raise InputError(f"{label}: looks binary (NUL characters), not text; give a .txt, .md or .html file")
    return text
