"""Attachments through the API: upload (multipart `file`) and list."""

from flask import current_app, jsonify, request

from cms.api import blueprint
from cms.api.content import load_item
from cms.api.fields import iso
from cms.api.requests import require_user
from cms.auth import token_user
from cms.downloads import attachment_url
from cms.operations import attachments
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
    attachment = attachments.add_attachment(
        user, item, request.files.get("file"), current_app.config["CMS_MAX_UPLOAD_BYTES"]
    )
    return jsonify(serialize_attachment(attachment)), 201


@blueprint.get("/content/<item_id>/attachments")
def list_attachments(item_id):
    """List the item's attachments."""
    item = load_item(item_id, token_user())
    return jsonify({"items": [serialize_attachment(a) for a in Attachment.objects(item=item.pk)]})
