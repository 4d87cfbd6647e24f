"""Translations: an item's other languages are items of their own, linked in one translation group.

Each translation runs its own workflow and is published on its own (Plone's
plone.app.multilingual model). The group can also be moved on together, all
or none, through the engine's fire_all().
"""

import mongoengine as me
from flask_babel import gettext as _

from cms import audit, operations
from cms.security import permitted_query
from content_types import LANGUAGES, Content
from content_types.base import field_errors
from content_types.revision import snapshot_fields
from content_types.version import PublishedVersion
from workflows import engine
from workflows.permissions import VIEW
from workflows.policy import can


class TranslationRefused(operations.Refused):
    """The translation can't be made: `status` 409 (the language exists) or 422 (bad language or item)."""


def translate(user, source: Content, language: str) -> Content:
    """Create the draft translation of `source` into `language`: pre-filled, linked, owned by `user`."""
    if not can(user, VIEW, source):
        raise operations.denied(user, source, "translate")
    if language not in LANGUAGES:
        raise TranslationRefused(422, _("Unknown language."), {"language": str(language)[:10]})
    if source.working_copy_of:
        raise TranslationRefused(422, _("Translate the published item, not its working copy."))
    if Content.objects(translation_group=source.translation_group, language=language).first() is not None:
        raise TranslationRefused(409, _("This document already has a translation in that language."))
    copy = operations.new_item(user, source.type_name)
    fields = type(source)._fields
    for name, value in snapshot_fields(source).items():
        setattr(copy, name, fields[name].to_python(value) if value is not None else None)
    copy.language = language
    copy.translation_group = source.translation_group
    copy.translation_of = source.pk
    copy.translation_source_revision = source.revision
    if getattr(source, "number", None):
        copy.number = source.number  # a circular and its translations share one number
    try:
        operations.save_new_item(user, copy)
    except me.ValidationError as error:
        # Someone translated into this language at the same moment: the unique
        # (group, language) index let only one of us in.
        if "language" in field_errors(error):
            raise TranslationRefused(409, _("This document already has a translation in that language.")) from None
        raise
    audit.record("create", user, copy, f"translation of {source.pk} into {language}")
    return copy


def members(user, group: str) -> list[Content]:
    """Return the items of translation group `group` that `user` may view, in the order de, zh, en."""
    if not isinstance(group, str) or len(group) > 32:
        return []
    query = Content.objects(__raw__={"$and": [permitted_query(user), {"translation_group": group}]})
    return sorted(query, key=lambda item: LANGUAGES.index(item.language))


def outdated(item: Content, sources: dict) -> bool:
    """Whether translation `item` lags behind its source's newest published version.

    That is: the source published a revision newer than the one the translation
    was made from, and the translation has not been edited since that
    publication (editing it afterwards is taken as catching up). `sources`
    maps source ids to their newest published version (or None), as from
    newest_versions(). The original of a group is never outdated.
    """
    if item.translation_of is None:
        return False
    newest = sources.get(item.translation_of)
    if newest is None:
        return False
    return newest.revision > (item.translation_source_revision or 0) and newest.published_at > item.modified


def newest_versions(items) -> dict:
    """Return {source id: its newest published version or None} for the sources of `items` (one query)."""
    sources = {item.translation_of for item in items if item.translation_of}
    newest = dict.fromkeys(sources)
    for version in PublishedVersion.objects(item__in=list(sources)).only("item", "number", "revision", "published_at"):
        if newest[version.item] is None or version.number > newest[version.item].number:
            newest[version.item] = version
    return newest


def overview(user, item: Content) -> dict:
    """Return {language: {"id", "state", "outdated", "title"}} for the group of `item`, as `user` sees it."""
    group = members(user, item.translation_group)
    sources = newest_versions(group)
    return {
        member.language: {
            "id": str(member.pk),
            "state": member.state,
            "title": member.title,
            "outdated": outdated(member, sources),
        }
        for member in group
    }


def fire_group(user, group: str, trigger: str, comment=None, meeting_id=None) -> list[Content]:
    """Fire `trigger` on every item of translation group `group`, all or none (the engine's fire_all)."""
    items = list(Content.objects(translation_group=group)) if isinstance(group, str) and len(group) <= 32 else []
    if not items or not any(can(user, VIEW, item) for item in items):
        raise LookupError(group)
    # A member the user can't see can't be moved by them: the whole group is refused.
    if not all(can(user, VIEW, item) for item in items):
        raise operations.denied(user, None, f"group {trigger}")
    return engine.fire_all(user, items, trigger, comment=comment, meeting_id=meeting_id)
