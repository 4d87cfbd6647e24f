"""Attachments through the API: upload (multipart `file`) and list."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from cms import operations
from cms.api import blueprint
from cms.api.content import load_item
from cms.api.errors import ApiError, forbidden
from cms.api.fields import iso
from cms.api.tokens import api_user, require_user
from cms.downloads import attachment_url
from cms.uploads import UploadRefused
from content_types.attachment import Attachment


def serialize_attachment(attachment: Attachment) -> dict:
    """Return an attachment's metadata and download address."""
    return {
        "id": str(attachment.pk),
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": iso(attachment.uploaded_at),
        "url": attachment_url(attachment),
    }


@blueprint.post("/content/<item_id>/attachments")
def upload_attachment(item_id):
    """Attach a file (PDF, DOCX, XLSX, ODT, PNG, JPEG; type checked from the bytes; size limit → 413)."""
    user = require_user()
    item = load_item(item_id, user)
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "missing_file", _("Send the file as multipart/form-data in the field “file”."))
    try:
        attachment = operations.add_attachment(
            user, item, upload.stream, upload.filename, current_app.config["CMS_MAX_UPLOAD_BYTES"]
        )
    except operations.NotAllowed:
        raise forbidden() from None
    except UploadRefused as refusal:
        raise ApiError(refusal.status, refusal.code, refusal.message) from None
    return jsonify(serialize_attachment(attachment)), 201


@blueprint.get("/content/<item_id>/attachments")
def list_attachments(item_id):
    """List the item's attachments."""
    item = load_item(item_id, api_user())
    return jsonify({"items": [serialize_attachment(a) for a in Attachment.objects(item=item.pk)]})
