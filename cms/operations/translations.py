"""Translations: an item's other languages are items of their own, linked in one translation group.

Each translation runs its own workflow and is published on its own (Plone's
plone.app.multilingual model). The group can also be moved on together, all
or none, through the engine's fire_all().
"""

from flask_babel import gettext as _

from cms.operations import refuse_unless
from cms.operations.content import create_item, may_create, new_item
from cms.security import can, permitted_query
from content_types import LANGUAGES, Content
from content_types.refusals import Conflict, NotFound, NotPossible
from content_types.revision import apply_snapshot, snapshot_fields
from content_types.version import PublishedVersion
from workflows import engine
from workflows.permissions import VIEW


def missing_languages(user, item: Content, present: set[str] | None = None) -> list[str]:
    """Return the languages `user` may translate the item into now (none for a working copy).

    `present`: the languages the item's group has, where the caller knows them already.
    """
    if not may_create(user) or not can(user, VIEW, item) or item.working_copy_of:
        return []
    if present is None:
        present = set(Content.objects(translation_group=item.translation_group).scalar("language"))
    return [code for code in LANGUAGES if code not in present]


def may_translate(user, item: Content, present: set[str] | None = None) -> bool:
    """Whether `user` may translate the item into a language its group lacks."""
    return bool(missing_languages(user, item, present))


def translate(user, source: Content, language) -> Content:
    """Create the draft translation of `source` into `language`: pre-filled, linked, owned by `user`."""
    if language not in LANGUAGES:
        raise NotPossible(_("Unknown language."), {"language": str(language)[:10]}, code="invalid_language")
    if source.working_copy_of:
        raise NotPossible(_("Translate the published item, not its working copy."), code="invalid_language")
    if Content.objects(translation_group=source.translation_group, language=language).first() is not None:
        raise Conflict(_("This document already has a translation in that language."), code="translation_exists")
    refuse_unless(may_translate(user, source), user, source, "translate")
    copy = new_item(user, source.type_name)
    apply_snapshot(copy, snapshot_fields(source))
    copy.language = language
    copy.translation_group = source.translation_group
    copy.translation_of = source.pk
    copy.translation_source_revision = source.revision
    for name in type(source).assigned_fields:
        setattr(copy, name, getattr(source, name))  # a circular and its translations share one number
    # Someone translating into this language at the same moment is refused by
    # the unique (group, language) index: a Conflict from create_item.
    create_item(user, copy, "translation_made", source=source.title, language=language)
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


def group_items(user, group: str) -> list[Content]:
    """Return every item of translation group `group` for moving together: 404 if `user` sees none, 403 if not all."""
    # A member the user can't see can't be moved by them: the whole group is refused.
    items = list(Content.objects(translation_group=group)) if isinstance(group, str) and len(group) <= 32 else []
    visible = [item for item in items if can(user, VIEW, item)]
    if not visible:
        raise NotFound(_("No such item."))
    refuse_unless(len(visible) == len(items), user, None, "group_transition")
    return items


def group_transitions(user, item: Content) -> list[dict]:
    """Return the transitions every language of the item's group can take now (offered for the group)."""
    group = members(user, item.translation_group)
    if len(group) < 2 or len(group) != Content.objects(translation_group=item.translation_group).count():
        return []
    per_item = [engine.available_transitions(user, member) for member in group]
    common = set.intersection(*({t["trigger"] for t in transitions} for transitions in per_item))
    return [t for t in per_item[0] if t["trigger"] in common]


def accepted_group_inputs(items: list[Content], trigger) -> set[str]:
    """Return the input names a request may send to fire `trigger` on a group's items (those of any of them)."""
    return set().union(*(engine.accepted_inputs(item, trigger) for item in items))


def fire_group(user, items: list[Content], trigger, inputs: dict | None = None) -> list[Content]:
    """Fire `trigger` on every item of a translation group (from group_items), all or none."""
    return engine.fire_all(user, items, trigger, inputs)
