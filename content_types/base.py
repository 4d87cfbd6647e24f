"""The base of every content item: identity, language, ownership, state, revision."""

import uuid
from datetime import date, datetime, timezone

import mongoengine as me
from bson import DBRef, ObjectId
from flask_babel import lazy_gettext as _l

from content_types.refusals import Conflict, Refused
from content_types.sanitize import paragraphs_from_text, sanitize_html
from content_types.search import fold_for_search
from content_types.validation import Invalid

LANGUAGES = ("de", "zh", "en")
# Each language's name in the viewer's language, and in its own (for the language switcher).
LANGUAGE_NAMES = {"de": _l("German"), "zh": _l("Chinese"), "en": _l("English")}
NATIVE_LANGUAGE_NAMES = {"de": "Deutsch", "zh": "中文", "en": "English"}
TITLE_MAX_LENGTH = 300
BODY_MAX_LENGTH = 500_000


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime (how MongoDB stores it)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def reference_id(value):
    """Return the id a reference field holds (ObjectId, DBRef or document), without dereferencing it."""
    if value is None or isinstance(value, (ObjectId, str)):
        return value
    if isinstance(value, DBRef):
        return value.id
    return getattr(value, "pk", None)


def _language_taken(inserting: bool) -> Refused:
    # The unique (translation group, language) index refused the write: a
    # translation made at the same moment (a conflict), or an edit moving the
    # item onto a language its group already has (an invalid value).
    message = _l("This document already has a translation in that language.")
    if inserting:
        return Conflict(message, {"language": str(message)}, code="translation_exists")
    return Invalid({"language": message}, message)


class StaleRevision(Conflict):
    """The item changed (or vanished) since the revision the caller edited."""

    code = "stale_revision"

    def __init__(self, details: dict | None = None):
        super().__init__(
            _l("Someone else changed this item meanwhile; reload it and apply your change again."), details
        )


def editable(*own: str) -> tuple[str, ...]:
    """Return the fields an editor may set on a type: the shared ones around the type's `own`, in form order."""
    return ("title", "language", *own, "body", "public")


def translatable(*own: str) -> tuple[str, ...]:
    """Return the text fields a translator renders into another language: the title and body around `own`."""
    return ("title", *own, "body")


# Characters that break a line or control a terminal: C0, DEL, C1 (NEL among them) and Unicode's line and
# paragraph separators. None belongs in a one-line text (a title, a name); some readers of mail, JSON or
# logs take the latter ones for line ends.
_LINE_BREAKING = {*range(32), 127, *range(0x80, 0xA0), 0x2028, 0x2029}


def has_control_characters(text: str | None) -> bool:
    """Whether `text` holds a line break or another control character (none belongs in a one-line field)."""
    return bool(text) and any(ord(char) in _LINE_BREAKING for char in text)


def refuse_control_characters(name: str, value):
    """Return a title-like `value` stripped; refuse (ValidationError) control characters in it."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if has_control_characters(value):
        raise me.ValidationError(errors={name: _l("The title may not hold control characters.")})
    return value


class LocalRole(me.EmbeddedDocument):
    """Roles one user holds on one item only (Plone's sharing tab)."""

    user = me.ReferenceField("User", required=True)
    roles = me.ListField(me.StringField(max_length=40), default=list)


def local_role_keys(entries) -> list[str]:
    """Return "user id:role" for each local role in `entries` (LocalRole documents or their stored dicts)."""
    keys = []
    for entry in entries:
        stored = entry if isinstance(entry, dict) else entry._data
        keys.extend(f"{reference_id(stored.get('user'))}:{role}" for role in stored.get("roles") or ())
    return sorted(keys)


class HistoryEntry(me.EmbeddedDocument):
    """One fired transition: who moved the item from where to where, when, why, on what basis."""

    transition = me.StringField(required=True, max_length=60)
    from_state = me.StringField(required=True, max_length=40)
    to_state = me.StringField(required=True, max_length=40)
    actor = me.ReferenceField("User")
    actor_name = me.StringField(max_length=254)
    at = me.DateTimeField(required=True)
    comment = me.StringField(max_length=5000, default="")
    meeting = me.ReferenceField("Content")
    # The revision the decision covered (Wagtail's TaskState.revision).
    revision = me.IntField(required=True)


class Content(me.Document):
    """Fields every content type shares; concrete types add only their own."""

    type_name = "content"
    # The allow-list of what forms and the API may write (Wagtail's content_panels);
    # everything else belongs to the engine, the revision counter or the sharing tab.
    editable_fields: tuple[str, ...] = editable()
    # The text fields a translation renders (shown beside the source's in the translation's form).
    translatable_fields: tuple[str, ...] = translatable()
    # Text fields the item itself carries in several languages (a meeting's title), read through text_in().
    multilingual_fields: tuple[str, ...] = ()
    # Shown with the item but set by the CMS itself (a circular's number).
    assigned_fields: tuple[str, ...] = ()
    # The list field of member cities an item is addressed to, where a type has one (see workflows.policy).
    audience_field: str | None = None
    # The list field of the cities that have recorded their decision on an item put to them (see workflows.policy).
    decided_field: str | None = None
    # The fields naming the member city (or cities) an item is filed for: a representative files for their own.
    filing_city_fields: tuple[str, ...] = ("city",)
    # Fields only member cities' representatives and staff may read (a company's contact).
    members_only_fields: tuple[str, ...] = ()
    # The field that says which year an item belongs to (a number or a date); without one, its creation's year.
    year_field: str | None = None

    title = me.StringField(required=True, min_length=1, max_length=TITLE_MAX_LENGTH)
    language = me.StringField(required=True, choices=LANGUAGES, default="de")
    body = me.StringField(max_length=BODY_MAX_LENGTH, default="")
    owner = me.ReferenceField("User")
    created = me.DateTimeField(default=utcnow)
    # When the text was last saved (a revision); `changed` is when anything last
    # happened to the item, a workflow step included (what lists show and sort by).
    modified = me.DateTimeField(default=utcnow)
    changed = me.DateTimeField()
    state = me.StringField(required=True, max_length=40)
    revision = me.IntField(default=0, min_value=0)
    # Translations are items of their own, linked by one group id; one item per
    # language in a group (a unique index), and each remembers its source.
    translation_group = me.StringField(default=lambda: uuid.uuid4().hex, max_length=32)
    translation_of = me.ObjectIdField()
    # The source's revision this translation was made from (see cms.translating.outdated).
    translation_source_revision = me.IntField()
    # The title folded for search (lower case, ä → ae, ß → ss), kept by clean().
    search_text = me.StringField(default="")
    local_roles = me.EmbeddedDocumentListField(LocalRole, default=list)
    # The same as "user id:role" strings, written with every save (to_mongo) and share: a filter on it
    # is plain array membership, which the embedded database answers in SQL, where `$elemMatch` on
    # `local_roles` makes it test every item in Python (workflows.policy.permitted_query).
    local_role_keys = me.ListField(me.StringField(), default=list)
    # Anonymous visitors may see it once its state allows the public (news, the concept).
    public = me.BooleanField(default=False)
    # Written only by the workflow engine, in the same conditional update as `state`.
    history = me.EmbeddedDocumentListField(HistoryEntry, default=list)
    agenda_meeting = me.ReferenceField("Content")
    accepted_revision = me.IntField()
    approved_meeting = me.ReferenceField("Content")
    approved_revision = me.IntField()
    approved_by = me.ReferenceField("User")
    published_at = me.DateTimeField()
    # plone.app.iterate: a published item being revised points at its working
    # copy (a draft of its own); the copy points back.
    working_copy = me.ObjectIdField()
    working_copy_of = me.ObjectIdField()
    # Scheduled publication and expiry, fired by the scheduler as `scheduled_by`.
    publish_at = me.DateTimeField()
    expire_at = me.DateTimeField()
    scheduled_by = me.ReferenceField("User")
    # A soft edit lock: shown to others, released on save or after a timeout.
    lock_user = me.ReferenceField("User")
    lock_since = me.DateTimeField()
    # Set by the engine with a transition into a versioned state, cleared once
    # what follows publication (freezing the version) is done: a crash or a
    # failure in between leaves it set, and the repair finishes the work.
    publication_pending = me.BooleanField()

    meta = {
        "collection": "content",
        "allow_inheritance": True,
        "indexes": [
            "state",
            "language",
            {"fields": ["translation_group", "language"], "unique": True},
            "-modified",
            # Across all types (no `_cls` prefix): every list is sorted by it, and the embedded database
            # walks a single-field index to the page instead of sorting every match.
            {"fields": ["-modified"], "cls": False},
            "-changed",
            "owner",
            {"fields": ["publication_pending"], "sparse": True},
        ],
        "ordering": ["-modified"],
    }

    def to_mongo(self, *args, **kwargs):
        """Return the stored form, its `local_role_keys` derived from `local_roles` whatever saves it."""
        self.local_role_keys = local_role_keys(self._data.get("local_roles") or ())
        return super().to_mongo(*args, **kwargs)

    def clean(self):
        """Strip whitespace from the title, refuse control characters in it, fold it for search, sanitise the body."""
        self.title = refuse_control_characters("title", self.title)
        self.search_text = fold_for_search(self.title or "")
        self.body = sanitize_html(paragraphs_from_text(self.body))

    def text_in(self, name: str, language: str) -> tuple[str, str]:
        """Return (text field `name` as a reader of `language` gets it, the language that text is in).

        An item has one language; types that carry some fields in several
        languages (meetings) give the reader's where it is filled in.
        """
        return getattr(self, name), self.language

    def speaks(self, language: str) -> bool:
        """Whether the item has its title in `language` (else a reader of it gets another language)."""
        return language == self.language

    def save_revision(self, expected_revision: int | None = None):
        """Save as the next revision; refuse if someone saved since `expected_revision`.

        A new item is inserted as revision 1. An existing one is written only if
        the stored revision and state are still the ones the caller edited: a
        conditional update, so a concurrent save, a transition or a delete in
        between raises StaleRevision instead of overwriting or resurrecting.
        """
        self.modified = self.changed = utcnow()
        if self.pk is None:
            self.revision = 1
            try:
                return self.save(force_insert=True)
            except me.NotUniqueError as error:
                self.revision = 0
                raise self.duplicate_refusal(error, inserting=True) from None
        base = self.revision if expected_revision is None else expected_revision
        self.revision = base + 1
        try:
            # The state is part of the condition too: the permission to edit was
            # checked in this state, and a transition meanwhile voids it.
            return self.save(save_condition={"revision": base, "state": self.state})
        except me.errors.SaveConditionError as error:
            self.revision = base
            raise StaleRevision({"revision": base}) from error
        except me.NotUniqueError as error:
            self.revision = base
            raise self.duplicate_refusal(error, inserting=False) from None

    def duplicate_refusal(self, error: me.NotUniqueError, inserting: bool) -> Refused:
        """Return the refusal for a write a unique index refused (types with indexes of their own extend it)."""
        return _language_taken(inserting)

    @property
    def last_changed(self) -> datetime | None:
        """Return when anything last happened to the item (items stored before `changed` existed: their last save)."""
        return self.changed or self.modified

    def year_value(self) -> int | None:
        """Return the item's year: from its own field (a plan's year, a signing date), else its creation."""
        own = getattr(self, self.year_field) if self.year_field else None
        if own:
            return own.year if isinstance(own, (date, datetime)) else own
        return self.created.year if self.created else None

    @classmethod
    def year_query(cls, year: int) -> dict:
        """Return a MongoDB filter for the items of this type that year_value() puts in `year`."""
        within = {"$gte": datetime(year, 1, 1), "$lt": datetime(year + 1, 1, 1)}
        if not cls.year_field:
            return {"_cls": cls._class_name, "created": within}
        field = cls._fields[cls.year_field].db_field
        own = year if isinstance(cls._fields[cls.year_field], me.IntField) else within
        return {
            "_cls": cls._class_name,
            "$or": [{field: own}, {"$and": [{field: {"$in": [None, ""]}}, {"created": within}]}],
        }
