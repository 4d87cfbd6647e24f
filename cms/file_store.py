"""Published files on local disk by SHA-256: copied from GridFS once, checked, then sent by the operating system.

A published version's files never change, and their name is their checksum,
so a copy on disk can't go stale: each is written once, after its bytes were
checked against the checksum stored with the version, and renamed into place
whole (a reader never sees half a file). Sending a file from disk is what the
web server's own static files cost; reading it from the database on every
download was a hundred times that.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)
FOLDER = "file-cache"


def folder() -> Path:
    """Return the folder of the local copies (inside CMS_DATA_DIR; made on first use, for this user only)."""
    path = Path(current_app.config["CMS_DATA_DIR"]) / FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def local_copy(sha256: str, read) -> Path | None:
    """Return the path of the file whose checksum is `sha256`, copied from `read()` on first use; None if it differs.

    `read()` returns the stored bytes (or None). Bytes whose checksum is not
    `sha256` are never written, and never handed out.
    """
    if len(sha256) != 64 or not all(char in "0123456789abcdef" for char in sha256):
        return None
    path = folder() / sha256
    if path.is_file():
        return path
    data = read()
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        log.error("file %s failed its checksum", sha256)
        return None
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)  # whole or not at all, also when two requests copy at once
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
