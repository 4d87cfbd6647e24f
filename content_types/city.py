"""Member cities of the alliance (N Chinese + N German), with names in de/zh/en."""

import mongoengine as me
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from content_types.base import utcnow

COUNTRIES = ("CN", "DE")
COUNTRY_NAMES = {"CN": _l("China"), "DE": _l("Germany")}
CITY_STATUSES = ("member", "requested", "withdrawn", "excluded")
CITY_STATUS_TITLES = {
    "member": _l("member"),
    "requested": _l("requested"),
    "withdrawn": _l("withdrawn"),
    "excluded": _l("excluded"),
}
# Where a meeting's day is counted: the host country's civil time.
COUNTRY_TIME_ZONES = {"CN": "Asia/Shanghai", "DE": "Europe/Berlin"}
# Statuses of cities that belong to the alliance or are on their way in (listed on the public site).
LISTED_STATUSES = ("member", "requested")


class Contact(me.EmbeddedDocument):
    """A person a member city names for alliance matters."""

    name = me.StringField(required=True, max_length=200)
    role = me.StringField(max_length=200)
    email = me.EmailField()
    phone = me.StringField(max_length=60)


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
    modified = me.DateTimeField(default=utcnow)

    meta = {"collection": "cities", "indexes": ["country", "status"], "ordering": ["country", "name_de"]}

    def name(self, language: str = "de") -> str:
        """Return the city's name in `language`, falling back to German."""
        return getattr(self, f"name_{language}", None) or self.name_de

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

    def __str__(self):
        # Shown in choosers and lists: the name in the reader's language.
        return self.name(str(get_locale() or "de"))
