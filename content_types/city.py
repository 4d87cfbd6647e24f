"""Member cities of the alliance (N Chinese + N German), with names in de/zh/en."""

import mongoengine as me
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from content_types.base import utcnow

COUNTRIES = ("CN", "DE")
COUNTRY_NAMES = {"CN": _l("China"), "DE": _l("Germany")}
# requested: asked to join (the founding document's "angefragt"); applicant: its
# membership application is being decided; the others as the words say.
CITY_STATUSES = ("member", "requested", "applicant", "withdrawn", "excluded")
CITY_STATUS_TITLES = {
    "member": _l("member"),
    "requested": _l("requested"),
    "applicant": _l("applicant"),
    "withdrawn": _l("withdrawn"),
    "excluded": _l("excluded"),
}
# The language a city's contact persons read unless they name one.
COUNTRY_LANGUAGES = {"CN": "zh", "DE": "de"}
# Where a meeting's day is counted: the host country's civil time.
COUNTRY_TIME_ZONES = {"CN": "Asia/Shanghai", "DE": "Europe/Berlin"}
# Statuses of cities that belong to the alliance or are on their way in (listed on the public site).
LISTED_STATUSES = ("member", "requested")
# The seed's key data of a city (section IV, the company database), each written in de, zh and en
# as `<key>_de`, `<key>_zh`, `<key>_en` beside each other, like the city's names.
PROFILE_KEYS = (
    "characteristics",
    "industrial_strengths",
    "cooperation_basis",
    "cooperation_actors",
    "cooperation_wishes",
)
PROFILE_TITLES = {
    "characteristics": _l("City characteristics"),
    "industrial_strengths": _l("Industrial strengths"),
    "cooperation_basis": _l("Basis of foreign cooperation"),
    "cooperation_actors": _l("Cooperation actors"),
    "cooperation_wishes": _l("Cooperation wishes"),
}
PROFILE_LANGUAGES = ("de", "zh", "en")
PROFILE_FIELDS = tuple(f"{key}_{code}" for key in PROFILE_KEYS for code in PROFILE_LANGUAGES)
PROFILE_MAX_LENGTH = 4000
# What a city's own representatives maintain (and the API's PATCH writes): contacts and profile.
CONTACT_FIELDS = ("contact_office", "responsible_person", "contacts")
REPRESENTATIVE_FIELDS = CONTACT_FIELDS + PROFILE_FIELDS


class Contact(me.EmbeddedDocument):
    """A person a member city names for alliance matters."""

    name = me.StringField(required=True, max_length=200)
    role = me.StringField(max_length=200)
    email = me.EmailField()
    phone = me.StringField(max_length=60)
    # The language mail to this person is written in; unset: the city's country's (German or Chinese).
    language = me.StringField(choices=PROFILE_LANGUAGES)


class StatusChange(me.EmbeddedDocument):
    """One change of a city's status: to what, when, and the process item (or correction) that made it."""

    status = me.StringField(required=True, choices=CITY_STATUSES)
    previous = me.StringField(choices=CITY_STATUSES)
    at = me.DateTimeField(required=True)
    # The membership application, withdrawal or exclusion motion; None for a correction by hand.
    item = me.ObjectIdField()
    item_type = me.StringField(max_length=40)
    # Why, for a correction by hand (the processes carry their reasons on their items).
    reason = me.StringField(max_length=1000)


class MemberCity(me.Document):
    """A city of the alliance: its names, country, status and contact office."""

    # What the secretariat's forms may write. The status (and when the city
    # joined) changes only through the membership processes or an audited
    # correction (cms.operations.cities.correct_status), never by editing.
    editable_fields = (
        "name_de",
        "name_zh",
        "name_en",
        "country",
        "initiator",
        "contact_office",
        "responsible_person",
        "contacts",
        *PROFILE_FIELDS,
    )

    name_de = me.StringField(required=True, max_length=120, unique=True)
    name_zh = me.StringField(required=True, max_length=120)
    name_en = me.StringField(required=True, max_length=120)
    country = me.StringField(required=True, choices=COUNTRIES)
    initiator = me.BooleanField(default=False)
    status = me.StringField(required=True, choices=CITY_STATUSES, default="requested")
    joined = me.DateTimeField()
    contact_office = me.StringField(max_length=300)
    responsible_person = me.StringField(max_length=200)
    contacts = me.EmbeddedDocumentListField(Contact, default=list)
    # The public profile (PROFILE_FIELDS), in each language.
    characteristics_de = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    characteristics_zh = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    characteristics_en = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    industrial_strengths_de = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    industrial_strengths_zh = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    industrial_strengths_en = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_basis_de = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_basis_zh = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_basis_en = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_actors_de = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_actors_zh = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_actors_en = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_wishes_de = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_wishes_zh = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    cooperation_wishes_en = me.StringField(max_length=PROFILE_MAX_LENGTH, default="")
    # Named by an applicant on the public membership form, not entered by the secretariat: until it is a
    # member the public site doesn't list it (anyone with a mailbox could otherwise put a name there).
    named_by_applicant = me.BooleanField(default=False)
    # Every status change, oldest first (written only by change_status()).
    status_history = me.EmbeddedDocumentListField(StatusChange, default=list)
    modified = me.DateTimeField(default=utcnow)
    # Counts the saves of contacts and profile: a save names the one it edited (compare-and-set), so of
    # two people editing at once the second is told, not silently overwritten. Absent on older records: 0.
    revision = me.IntField(default=0, min_value=0)

    meta = {"collection": "cities", "indexes": ["country", "status"], "ordering": ["country", "name_de"]}

    def name(self, language: str = "de") -> str:
        """Return the city's name in `language`, falling back to German."""
        return getattr(self, f"name_{language}", None) or self.name_de

    def contact_language(self, contact: Contact) -> str:
        """Return the language mail to `contact` is written in: theirs, else the city's country's."""
        return contact.language or COUNTRY_LANGUAGES.get(self.country, "en")

    def profile_text(self, key: str, language: str) -> tuple[str, str | None]:
        """Return the profile entry `key` in `language`, else German: (text, the language it is in or None)."""
        for code in (language, "de"):
            text = getattr(self, f"{key}_{code}", None) if code in PROFILE_LANGUAGES else None
            if text:
                return text, code
        return "", None

    @classmethod
    def find_by_name(cls, name: str):
        """Return the city called `name` in any of its languages (case-insensitive), or None."""
        name = (name or "").strip()
        if not name:
            return None
        for field in ("name_de", "name_zh", "name_en"):
            city = cls.objects(**{f"{field}__iexact": name}).first()
            if city is not None:
                return city
        return None

    @classmethod
    def change_status(cls, city_id, expected: str, status: str, item=None, reason: str = "", at=None) -> bool:
        """Move city `city_id` from status `expected` to `status`, recording the change; return whether it moved.

        A compare-and-set on the expected status: of two processes (or a
        process and a correction) acting at once exactly one moves the city,
        and running the same change again finds nothing to do. `item` is the
        process item that decided it. Joining sets the joining date; leaving
        keeps it (the history says when the city left).
        """
        if status not in CITY_STATUSES:
            raise ValueError(f"unknown city status {status!r}")
        at = at or utcnow()
        change = StatusChange(
            status=status,
            previous=expected,
            at=at,
            item=getattr(item, "pk", None),
            item_type=getattr(item, "type_name", None),
            reason=reason or None,
        )
        setting = {"status": status, "modified": at}
        if status == "member":
            setting["joined"] = at
        result = cls._get_collection().update_one(
            {"_id": city_id, "status": expected},
            {"$set": setting, "$push": {"status_history": change.to_mongo().to_dict()}},
        )
        # Member rights follow the status at once: the caches see this write (cms.change_watch).
        return result.modified_count == 1

    def __str__(self):
        # Shown in choosers and lists: the name in the reader's language.
        return self.name(str(get_locale() or "de"))
