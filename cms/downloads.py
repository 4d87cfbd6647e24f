"""File downloads: only through these views, which ask can() and check the stored checksum.

Every file has a download address (`Content-Disposition: attachment`); a PDF
also has a view address (`inline`), so that it opens in the browser's viewer.
Other types are always sent as attachments, even at a view address. The
security headers (nosniff, the CSP) are the same on both.
"""

import hashlib
import io
import logging

from bson import ObjectId
from flask import Blueprint, abort, send_file

from cms import file_store, remembered, versions
from cms.auth import caller
from cms.security import can
from content_types import Content
from content_types.attachment import Attachment
from workflows.permissions import DOWNLOAD

blueprint = Blueprint("downloads", __name__)
log = logging.getLogger(__name__)


# What a browser may show itself rather than save: PDFs, in its own viewer.
VIEWABLE_TYPES = frozenset({"application/pdf"})
VIEW_SUFFIX = "/view"
PROXY_CACHE_SECONDS = 600


def attachment_url(attachment: Attachment) -> str:
    """Return the download address of an attachment."""
    return f"/files/{attachment.pk}/{attachment.sha256[:16]}"


def view_url(stored, url: str) -> str | None:
    """Return the address that opens the file `stored` (downloaded from `url`) in the browser; None if it can't."""
    return url + VIEW_SUFFIX if stored.content_type in VIEWABLE_TYPES else None


@blueprint.route("/files/<attachment_id>/<fingerprint>")
def download(attachment_id, fingerprint):
    """Send an attachment's bytes to whoever may download its item (404 for everyone else)."""
    return _attachment(attachment_id, fingerprint, view=False)


@blueprint.route(f"/files/<attachment_id>/<fingerprint>{VIEW_SUFFIX}")
def view_file(attachment_id, fingerprint):
    """Send an attachment as `download` does, a PDF to open in the browser."""
    return _attachment(attachment_id, fingerprint, view=True)


def _attachment(attachment_id, fingerprint, view: bool):
    attachment = Attachment.objects(pk=attachment_id).first() if ObjectId.is_valid(attachment_id) else None
    if attachment is None or attachment.sha256[:16] != fingerprint:
        abort(404)
    item = Content.objects(pk=attachment.item).first()
    if item is None or not can(caller(), DOWNLOAD, item):
        abort(404)
    response = _send_verified(attachment.file.read(), attachment, attachment.uploaded_at, view)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _send_verified(data, stored, last_modified, view: bool = False):
    """Send `data` as the file `stored` describes (name, type, SHA-256), or 500 if the bytes differ.

    With `view`, a viewable type is sent inline (to open in the browser); anything else is an attachment.
    """
    if data is None or hashlib.sha256(data).hexdigest() != stored.sha256:
        # Never hand out bytes that are not the ones stored.
        log.error("file %s failed its checksum", stored.sha256)
        abort(500)
    return send_file(
        io.BytesIO(data),
        mimetype=stored.content_type,
        as_attachment=not (view and stored.content_type in VIEWABLE_TYPES),
        download_name=stored.name,
        etag=stored.sha256,
        conditional=True,
        last_modified=last_modified,
    )


def version_file_url(version, index: int) -> str:
    """Return the download address of a published version's file (carries the version: cacheable forever)."""
    return f"/versions/{version.pk}/v{version.number}/{index}/{version.files[index].sha256[:16]}"


def version_links(version) -> list[tuple]:
    """Return (file, download address, view address or None) for each file of a published version."""
    links = []
    for index, stored in enumerate(version.files):
        url = version_file_url(version, index)
        links.append((stored, url, view_url(stored, url)))
    return links


_VERSION_FILE = "/versions/<version_id>/v<int:number>/<int:index>/<fingerprint>"


@blueprint.route(_VERSION_FILE)
def download_version_file(version_id, number, index, fingerprint):
    """Send a published version's file; it never changes, so it may be cached for good."""
    return _version_file(version_id, number, index, fingerprint, view=False)


@blueprint.route(_VERSION_FILE + VIEW_SUFFIX)
def view_version_file(version_id, number, index, fingerprint):
    """Send a published version's file as `download_version_file` does, a PDF to open in the browser."""
    return _version_file(version_id, number, index, fingerprint, view=True)


def _version_file(version_id, number, index, fingerprint, view: bool):
    # A member's download, the most frequent thing members do: the version (frozen) and its item (until
    # the next write) are remembered, the bytes sent from a checked copy on disk.
    version = remembered.version(version_id)
    if version is None or version.number != number or not 0 <= index < len(version.files):
        abort(404)
    stored = version.files[index]
    item = remembered.item(version.item)
    if stored.sha256[:16] != fingerprint or item is None or not can(caller(), DOWNLOAD, item):
        abort(404)
    path = file_store.local_copy(stored.sha256, lambda: versions.bucket().get(stored.file_id).read())
    if path is None:
        abort(500)  # the stored bytes are not the ones published: never hand them out
    response = send_file(
        path,
        mimetype=stored.content_type,
        as_attachment=not (view and stored.content_type in VIEWABLE_TYPES),
        download_name=stored.name,
        etag=stored.sha256,
        conditional=True,
        last_modified=version.published_at,
    )
    if can(None, DOWNLOAD, item):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        # For a caching reverse proxy (nginx reads this header, browsers don't): keep it only so long,
        # so that withdrawing a public item reaches the proxy's copies soon (README, "Reverse proxy").
        response.headers["X-Accel-Expires"] = str(PROXY_CACHE_SECONDS)
    else:
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def init_app(app) -> None:
    """Register the download route."""
    app.register_blueprint(blueprint)
