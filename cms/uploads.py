"""Checking an upload before it is stored: size, name, and what the bytes really are."""

import io
import re
import unicodedata
import zipfile
import zlib

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from flask_babel import gettext as _

from content_types.attachment import ATTACHMENT_TYPES
from content_types.refusals import NotPossible, TooLarge, UnsupportedType

MAX_NAME_LENGTH = 200
# Limits for office files (ZIP containers), checked from the ZIP directory before anything is expanded.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_EXPANDED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
_OOXML_MARKERS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ODT = "application/vnd.oasis.opendocument.text"
# Bidirectional overrides and isolates turn "gpj.exe" into what looks like "exe.jpg".
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(name) -> str:
    """Return a display name made safe: no path, no control or direction characters, bounded length."""
    if not isinstance(name, str):
        name = ""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = _INVISIBLE.sub("", "".join(char for char in name if unicodedata.category(char)[0] != "C"))
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = extension[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME_LENGTH - len(keep) - 1] + ("." + keep if keep else "")
    if not name:
        raise NotPossible(code="missing_name", message=_("The file needs a name."))
    return name


def read_limited(stream, limit: int) -> bytes:
    """Read at most `limit` bytes; raise 413 if there is more (without reading it all)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(code="too_large", message=_("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise NotPossible(code="empty_file", message=_("The file is empty."))
    return data


def detect_type(data: bytes) -> str:
    """Return the MIME type the bytes show (PDF, DOCX, XLSX, ODT, PNG, JPEG), or raise 415."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    raise UnsupportedType(
        code="unsupported_type",
        message=_("Only PDF, DOCX, XLSX, ODT, PNG and JPEG files can be attached; this file is none of them."),
    )


def _office_type(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise _damaged() from error
    # Decide from the directory alone: nothing is expanded before these checks.
    expanded = sum(entry.file_size for entry in entries)
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or expanded > MAX_ZIP_EXPANDED
        or any(
            entry.file_size > 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1)
            for entry in entries
        )
    ):
        raise UnsupportedType(code="archive_bomb", message=_("The file expands to far more than it is: refused."))
    # Office files are neither encrypted nor compressed with anything but deflate.
    if any(entry.flag_bits & 0x1 or entry.compress_type not in _COMPRESSIONS for entry in entries):
        raise _damaged()
    parts = {entry.filename: _read(archive, entry) for entry in entries}
    kind = next((kind for marker, kind in _OOXML_MARKERS.items() if marker in parts), None)
    if not (kind and "[Content_Types].xml" in parts):
        kind = _ODT if parts.get("mimetype", b"").strip() == _ODT.encode() else None
    if kind is None:
        raise UnsupportedType(
            code="unsupported_type",
            message=_("Only PDF, DOCX, XLSX, ODT, PNG and JPEG files can be attached; this file is none of them."),
        )
    # Every XML part, not only the one that names the type: text extraction and
    # any viewer will parse them all.
    for name, part in parts.items():
        if name.endswith((".xml", ".rels")):
            _parse_safely(part)
    return kind


_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _damaged() -> UnsupportedType:
    return UnsupportedType(code="unsupported_type", message=_("The file is a damaged archive."))


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    # Reading to the end checks the CRC; one byte more than the directory
    # announces catches an understated size.
    try:
        with archive.open(entry) as handle:
            part = handle.read(entry.file_size + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError, ValueError) as error:
        raise _damaged() from error
    if len(part) != entry.file_size:
        raise _damaged()
    return part


def _parse_safely(part: bytes) -> None:
    try:
        ElementTree.fromstring(part)
    except (DefusedXmlException, ElementTree.ParseError) as error:
        raise UnsupportedType(
            code="unsafe_xml", message=_("The document contains XML that is not allowed (entities).")
        ) from error


def name_with_extension(name: str, content_type: str) -> str:
    """Return `name` ending in the extension of its real type (a PDF called .docx becomes .docx.pdf)."""
    extension = ATTACHMENT_TYPES[content_type]
    aliases = {".jpg": (".jpg", ".jpeg")}.get(extension, (extension,))
    return name if name.lower().endswith(aliases) else name + extension
