"""Published versions: freezing one (its PDF and a copy of its attachments), and reading them."""

import contextlib
import hashlib
from datetime import date, datetime

import gridfs
import mongoengine as me
from babel.lists import format_list
from flask import has_app_context
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import Markup

from cms.i18n import current_language
from cms.labels import FIELD_CHOICES, FIELD_LABELS, describe_meeting
from cms.pdf import render_pdf
from cms.revisions import json_value
from content_types import Attachment, Content
from content_types.version import PublishedVersion, VersionFile
from workflows.compilation import carried_news

BUCKET = "version_files"
# Fields shown in the PDF's detail block, in this order, when the type has them.
DETAIL_FIELDS = (
    "number",
    "subject",
    "year",
    "period_start",
    "period_end",
    "topics",
    "projects",
    "signed_on",
    # A meeting's, in the meeting's own language (the PDF's).
    "starts_on",
    "ends_on",
    "location",
    "agenda_items",
    # A company's and a cooperation project's facts (never its contact: a version may be public).
    "name_de",
    "name_zh",
    "name_en",
    "sector",
    "size",
    "products",
    "interests",
    "website",
    "cooperation",
    "stage",
    "volume",
    "currency",
    "started_on",
)


def bucket() -> gridfs.GridFS:
    """Return the GridFS bucket holding published versions' files."""
    return gridfs.GridFS(me.connection.get_db(), BUCKET)


def _store(name: str, content_type: str, data: bytes) -> VersionFile:
    sha256 = hashlib.sha256(data).hexdigest()
    file_id = bucket().put(data, filename=sha256, content_type=content_type)
    return VersionFile(name=name, content_type=content_type, size=len(data), sha256=sha256, file_id=file_id)


def _details(item: Content) -> list[tuple[str, str]]:
    details = []
    for name in DETAIL_FIELDS:
        value = getattr(item, name, None) if name in type(item)._fields else None
        if value in (None, "", []):
            continue
        if name in FIELD_CHOICES:
            # Coded values (a sector, interests) by their titles in the document's language.
            titles = FIELD_CHOICES[name]
            value = (
                [str(titles.get(code, code)) for code in value]
                if isinstance(value, list)
                else str(titles.get(value, value))
            )
        details.append((str(FIELD_LABELS[name]), _shown(value)))
    return details


def _shown(value) -> str:
    # Dates and lists as the document's language writes them (the locale is forced by freeze()).
    if isinstance(value, list):
        return (
            format_list([_shown(entry) for entry in value], locale=current_language())
            if has_app_context()
            else ", ".join(map(str, value))
        )
    if isinstance(value, (date, datetime)) and has_app_context():
        return format_date(value, "long")
    return str(json_value(value))


def _carried_news_html(item: Content) -> str:
    # A newsletter's PDF shows the news items it carries after its intro, as its page does.
    if "carried" not in type(item)._fields:
        return ""
    news = carried_news(item)
    if not news:
        return ""
    parts = [Markup("<h2>{}</h2>").format(_("In this issue"))]
    for entry in news:
        parts.append(Markup("<h3>{}</h3>").format(entry.title))
        if entry.published_at:
            parts.append(Markup("<p>{}</p>").format(_shown(entry.published_at.date())))
        if entry.summary:
            parts.append(Markup("<p>{}</p>").format(entry.summary))
    return str(Markup("").join(parts))


def freeze(item: Content, actor) -> PublishedVersion:
    """Return the published version of the item's current revision, freezing it if it is new."""
    existing = PublishedVersion.objects(item=item.pk, revision=item.revision).first()
    if existing is not None:
        return existing
    last = PublishedVersion.objects(item=item.pk).order_by("-number").first()
    number = last.number + 1 if last else 1
    published_at = item.published_at or item.modified
    # The PDF speaks the document's language, whoever publishes it (outside an
    # app, as in some scripts, there are no catalogs and the labels stay English).
    with force_locale(item.language) if has_app_context() else contextlib.nullcontext():
        meeting = describe_meeting(item.approved_meeting) if item.approved_meeting else None
        body = item.body + _carried_news_html(item)
        pdf = render_pdf(item.title, item.language, number, published_at, meeting, _details(item), body)
    files = [_store(f"{_slug(item.title)}-v{number}.pdf", "application/pdf", pdf)]
    for attachment in Attachment.objects(item=item.pk):
        files.append(_store(attachment.name, attachment.content_type, attachment.file.read()))
    version = PublishedVersion(
        item=item.pk,
        number=number,
        revision=item.revision,
        published_at=published_at,
        published_by=actor if getattr(actor, "pk", None) else None,
        title=item.title,
        language=item.language,
        files=files,
    )
    try:
        version.save(force_insert=True)
    except me.NotUniqueError:
        # Another worker froze the same publication first; theirs stands.
        return PublishedVersion.objects.get(item=item.pk, revision=item.revision)
    return version


def versions_of(item: Content) -> list[PublishedVersion]:
    """Return the item's published versions, oldest first (a freeze still pending is repaired elsewhere)."""
    return list(PublishedVersion.objects(item=item.pk).order_by("number"))


def _slug(title: str) -> str:
    kept = "".join(char if char.isalnum() else "-" for char in title).strip("-")
    return "-".join(part for part in kept.split("-") if part)[:80] or "document"
