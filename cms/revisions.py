"""Keeping, comparing and restoring revisions; called by the operations layer after each save."""

import difflib
import re

from flask_babel import gettext as _
from mongoengine.errors import NotUniqueError

from cms.labels import FIELD_LABELS
from content_types import Content
from content_types.revision import Revision, snapshot_fields

_TAG = re.compile(r"<[^>]+>")


def record_revision(item: Content, actor, removed: tuple[str, ...] = (), added: tuple[str, ...] = ()) -> Revision:
    """Store the snapshot of the item's current revision (once) and return it.

    `removed` and `added` name the attachments this revision took away and
    brought (a replaced attachment is one of each).
    """
    previous = Revision.objects(item=item.pk, number__lt=item.revision).order_by("-number").first()
    fields = snapshot_fields(item)
    changed = (
        None
        if previous is None
        else sorted(name for name in fields if not same(previous.fields.get(name), fields[name]))
    )
    revision = Revision(
        item=item.pk,
        number=item.revision,
        actor=actor,
        actor_name=getattr(actor, "email", "") or "",
        changed=changed,
        fields=fields,
        attachments_removed=list(removed),
        attachments_added=list(added),
    )
    try:
        revision.save(force_insert=True)
    except NotUniqueError:
        # Already recorded (a repeated call after a crash between the two writes).
        revision = Revision.objects.get(item=item.pk, number=item.revision)
    return revision


def same(before, after) -> bool:
    """Whether two stored values of a field are the same (a field missing from an older snapshot is empty)."""
    return before == after or (before in (None, "", []) and after in (None, "", []))


def summary_of(revision: Revision) -> str:
    """Say what a revision changed, in the reader's language (field names as the forms label them)."""
    if revision.changed is None:
        # The first revision; or one recorded as words by an older version (or not yet recorded: no words).
        return _("First revision") if revision.number == 1 else revision.summary
    said = [*_attachment_summary(revision)]
    if revision.changed:
        labels = ", ".join(str(FIELD_LABELS.get(name, name)) for name in revision.changed)
        said.insert(0, _("Changed: %(fields)s", fields=labels))
    return "; ".join(said) or _("Saved without changes")


def _attachment_summary(revision: Revision) -> list[str]:
    removed, added = revision.attachments_removed or [], revision.attachments_added or []
    if len(removed) == 1 and len(added) == 1:
        return [_("Attachment “%(old)s” replaced by “%(new)s”", old=removed[0], new=added[0])]
    said = [_("Attachment removed: %(name)s", name=name) for name in removed]
    return said + [_("Attachment added: %(name)s", name=name) for name in added]


def revisions_of(item: Content) -> list[Revision]:
    """Return the item's revisions, oldest first; a current one not yet recorded is shown from the item.

    The process may have died between saving the item and its snapshot: the
    item itself is then the missing revision's content. It is shown, not
    written here (a read never writes); repair_revisions() records it.
    """
    revisions = list(Revision.objects(item=item.pk).order_by("number"))
    if not revisions or revisions[-1].number < item.revision:
        revisions.append(_unrecorded(item))
    return revisions


def revision_of(item: Content, number: int) -> Revision | None:
    """Return revision `number` of the item (the current one from the item if not yet recorded), or None."""
    stored = Revision.objects(item=item.pk, number=number).first()
    return stored or (_unrecorded(item) if number == item.revision else None)


def _unrecorded(item: Content) -> Revision:
    return Revision(item=item.pk, number=item.revision, at=item.modified, fields=snapshot_fields(item))


def repair_revisions() -> int:
    """Record the snapshot of every item whose current revision has none (after a crash); return how many."""
    recorded = {
        entry["_id"]: entry["newest"]
        for entry in Revision._get_collection().aggregate([{"$group": {"_id": "$item", "newest": {"$max": "$number"}}}])
    }
    repaired = 0
    for stored in Content._get_collection().find({}, {"revision": 1}):
        if recorded.get(stored["_id"], 0) < stored.get("revision", 0):
            record_revision(Content.objects.get(pk=stored["_id"]), None)
            repaired += 1
    return repaired


def _plain(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    return "" if value is None else str(value)


def _lines(value: str, is_html: bool) -> list[str]:
    if is_html:
        # Compare the text a reader sees, one block element per line.
        value = re.sub(r"</(p|h\d|li|tr|div|blockquote)>", "\n", value)
        value = _TAG.sub("", value)
    return [line.strip() for line in value.splitlines() if line.strip()]


def compare(a: Revision, b: Revision) -> dict:
    """Return {field: {"from", "to", "diff"}} for each field that differs between revisions a and b."""
    differences = {}
    for name in sorted(set(a.fields) | set(b.fields)):
        before, after = a.fields.get(name), b.fields.get(name)
        if same(before, after):
            continue
        entry = {"from": json_value(before), "to": json_value(after)}
        if isinstance(before, (str, list)) or isinstance(after, (str, list)):
            is_html = name in ("body", "minutes")
            entry["diff"] = [
                line
                for line in difflib.unified_diff(
                    _lines(_plain(before), is_html), _lines(_plain(after), is_html), lineterm="", n=1
                )
            ][2:]
        differences[name] = entry
    return differences


def json_value(value):
    """Return a stored field value as JSON (ObjectIds and dates as strings)."""
    if isinstance(value, list):
        return [json_value(entry) for entry in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, (str, int, float, bool, dict)):
        return str(value)
    return value
