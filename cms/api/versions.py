"""Published versions through the API."""

from flask import jsonify

from cms.api import blueprint
from cms.api.content import load_item
from cms.api.fields import iso
from cms.auth import token_user
from cms.downloads import version_file_url
from cms.versions import versions_of


def serialize_version(version) -> dict:
    """Return a published version with its files and their download addresses."""
    return {
        "version": version.number,
        "published_at": iso(version.published_at),
        "revision": version.revision,
        "title": version.title,
        "language": version.language,
        "files": [
            {
                "name": f.name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": version_file_url(version, index),
            }
            for index, f in enumerate(version.files)
        ],
    }


@blueprint.get("/content/<item_id>/versions")
def list_versions(item_id):
    """List every published version of the item, oldest first, with its files."""
    item = load_item(item_id, token_user())
    return jsonify([serialize_version(version) for version in versions_of(item)])
