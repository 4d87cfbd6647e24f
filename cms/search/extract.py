"""The text of an attachment, where it can be had: PDF (pypdf) and DOCX (python-docx), bounded, never raising.

An unreadable file is indexed without its text (and logged): indexing never
fails an upload or a save. Texts are kept by the file's SHA-256 beside the
index, so a transition that re-indexes an item does not read its PDFs again.
"""

import io
import logging
from pathlib import Path

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTRACTABLE = (PDF, DOCX)
MAX_PAGES = 200
MAX_CHARS = 200_000


def text_of(data: bytes, content_type: str) -> str:
    """Return the text of a PDF or DOCX file (at most MAX_CHARS, MAX_PAGES pages); "" for others or on failure."""
    try:
        if content_type == PDF:
            return _pdf_text(data)
        if content_type == DOCX:
            return _docx_text(data)
    except Exception as error:  # a damaged or hostile file: indexed without its text
        log.warning("no text could be read from a %s file: %s", content_type, error)
    return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, length = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= MAX_CHARS:
            break
    return "\n".join(parts)[:MAX_CHARS]


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts, length = [], 0
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for text in (*(paragraph.text for paragraph in document.paragraphs), *cells):
        parts.append(text)
        length += len(text)
        if length >= MAX_CHARS:
            break
    return "\n".join(parts)[:MAX_CHARS]


def cached_text_of(cache_dir: Path, sha256: str, read, content_type: str) -> str:
    """Return the text of the file `sha256` (read() gives its bytes), from the cache in `cache_dir` if it is there."""
    if content_type not in EXTRACTABLE:
        return ""
    path = cache_dir / f"{sha256}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = text_of(read(), content_type)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # whole or not at all, whichever process writes it
    except OSError:
        log.warning("the text of %s could not be cached", sha256, exc_info=True)
    return text
