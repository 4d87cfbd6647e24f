"""The text lines of a PDF as a reader sees them, for tests that compare the PDF with the page."""

import io
import re

from pypdf import PdfReader

# Reportlab writes "•" in Helvetica as WinAnsi code 0x7F, which the PDF standard reads as a bullet and
# pypdf passes on as it is.
_WINANSI_BULLET = "\x7f"
_MARKER = re.compile(r"^(?:•|\d+\.)$")


def pdf_lines(data: bytes) -> list[str]:
    """Return the PDF's non-empty text lines; a list's marker joins its item's first line ("• Punkt")."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    lines = [line.strip().replace(_WINANSI_BULLET, "•") for line in text.splitlines() if line.strip()]
    joined = []
    for line in lines:
        if joined and _MARKER.match(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined
