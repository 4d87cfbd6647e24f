"""File downloads: only through this view, which asks can() and checks the stored checksum."""

import hashlib
import io
import logging

from bson import ObjectId
from flask import Blueprint, abort, send_file
from flask_login import current_user

from cms.security import can
from content_types import Content
from content_types.attachment import Attachment
from workflows.permissions import DOWNLOAD

blueprint = Blueprint("downloads", __name__)
log = logging.getLogger(__name__)


def attachment_url(attachment: Attachment) -> str:
    """Return the download address of an attachment."""
    return f"/files/{attachment.pk}/{attachment.sha256[:16]}"


def _caller():
    # Browsers come with their session; scripts with a bearer token. Imported
    # here: the API's modules import this one for attachment_url().
    from cms.api.tokens import api_user

    return api_user() or current_user


@blueprint.route("/files/<attachment_id>/<fingerprint>")
def download(attachment_id, fingerprint):
    """Send an attachment's bytes to whoever may download its item (404 for everyone else)."""
    attachment = Attachment.objects(pk=attachment_id).first() if ObjectId.is_valid(attachment_id) else None
    if attachment is None or attachment.sha256[:16] != fingerprint:
        abort(404)
    item = Content.objects(pk=attachment.item).first()
    if item is None or not can(_caller(), DOWNLOAD, item):
        abort(404)
    data = attachment.file.read()
    if data is None or hashlib.sha256(data).hexdigest() != attachment.sha256:
        # Never hand out bytes that are not the ones uploaded.
        log.error("attachment %s failed its checksum", attachment.pk)
        abort(500)
    response = send_file(io.BytesIO(data), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.name, etag=attachment.sha256, conditional=True, max_age=0,
                         last_modified=attachment.uploaded_at)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def init_app(app) -> None:
    """Register the download route."""
    app.register_blueprint(blueprint)
