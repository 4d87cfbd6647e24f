"""The alliance's events (seed IV.2) and each member city's delegation to one."""

from datetime import datetime

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable, has_control_characters, translatable, utcnow
from content_types.city import COUNTRY_TIME_ZONES

EVENT_KINDS = ("seminar", "training", "trade_fair", "cultural", "csr", "meeting_programme")
EVENT_KIND_TITLES = {
    "seminar": _l("Seminar"),
    "training": _l("Training"),
    "trade_fair": _l("Trade fair"),
    "cultural": _l("Cultural exchange"),
    "csr": _l("Social responsibility programme"),
    "meeting_programme": _l("Programme of a half-yearly meeting"),
}
# An event's times are the venue's wall-clock times, in the civil time of Germany or China (as a meeting's day).
TIME_ZONES = tuple(COUNTRY_TIME_ZONES.values())
TIME_ZONE_TITLES = {
    "Europe/Berlin": _l("Time in Germany (Europe/Berlin)"),
    "Asia/Shanghai": _l("Time in China (Asia/Shanghai)"),
}

# Who a delegation brings (seed III.2): politics, administration, companies, economic development, associations,
# science.
DELEGATE_FUNCTIONS = ("politics", "administration", "companies", "economic_development", "associations", "science")
DELEGATE_FUNCTION_TITLES = {
    "politics": _l("Politics"),
    "administration": _l("Administration"),
    "companies": _l("Companies"),
    "economic_development": _l("Economic development"),
    "associations": _l("Associations"),
    "science": _l("Science"),
}
MAX_DELEGATES = 60


class Event(Content):
    """A seminar, training, trade fair, cultural or CSR programme, or a visit in a meeting's programme."""

    type_name = "event"
    editable_fields = editable(
        "event_kind",
        "starts",
        "ends",
        "time_zone",
        "location",
        "host_city",
        "meeting",
        "host_company",
        "registration_deadline",
    )
    translatable_fields = translatable("location", "host_company")
    # Wall-clock times at the venue, in the item's `time_zone` (not UTC like the CMS's own times).
    wall_clock_fields = ("starts", "ends")
    year_field = "starts"

    event_kind = me.StringField(required=True, choices=EVENT_KINDS, default="seminar")
    starts = me.DateTimeField(required=True)
    ends = me.DateTimeField()
    # Empty: the host city's country's; an event without a host city in the alliance names it.
    time_zone = me.StringField(choices=TIME_ZONES)
    location = me.StringField(max_length=300, default="")
    host_city = me.ReferenceField("MemberCity")
    # The meeting whose programme this is part of (a visit to a host company), if any.
    meeting = me.ReferenceField("Meeting")
    host_company = me.StringField(max_length=300, default="")
    # The last day on which member cities register their delegations (in the event's time zone).
    registration_deadline = me.DateField()

    meta = {"indexes": ["starts"]}

    def clean(self):
        """Take the time zone from the host (or the meeting's host); refuse an end before the start, a late deadline."""
        super().clean()
        for name in ("location", "host_company"):
            value = (getattr(self, name) or "").strip()
            if has_control_characters(value):
                raise me.ValidationError(errors={name: _l("No line breaks or other control characters.")})
            setattr(self, name, value)
        self.time_zone = self.time_zone or None
        meeting = self.meeting if isinstance(self.meeting, Content) else None
        if self.host_city is None and meeting is not None:
            self.host_city = meeting.host_city
        if not self.time_zone and self.host_city is not None:
            self.time_zone = COUNTRY_TIME_ZONES.get(getattr(self.host_city, "country", None))
        errors = {}
        if not self.time_zone:
            errors["time_zone"] = _l("Say in which time zone the times are (there is no host city to take it from).")
        if isinstance(self.starts, datetime) and isinstance(self.ends, datetime) and self.ends < self.starts:
            errors["ends"] = _l("Ends before it starts")
        if self.registration_deadline and isinstance(self.starts, datetime):
            if self.registration_deadline > self.starts.date():
                errors["registration_deadline"] = _l("The registration deadline lies after the start")
        if errors:
            raise me.ValidationError(errors=errors)


class Delegate(me.EmbeddedDocument):
    """One member of a delegation: name, function (what they represent) and position."""

    name = me.StringField(required=True, max_length=200)
    function = me.StringField(required=True, choices=DELEGATE_FUNCTIONS)
    position = me.StringField(max_length=200, default="")


class Delegation(me.Document):
    """A member city's delegation to one event; one per (event, city), kept by a unique index."""

    event = me.ObjectIdField(required=True)
    city = me.ReferenceField("MemberCity", required=True)
    members = me.EmbeddedDocumentListField(Delegate, default=list, max_length=MAX_DELEGATES)
    # Counts the saves: a save names the revision it edited (compare-and-set), so of two people editing the
    # same delegation the second is told, not silently overwritten.
    revision = me.IntField(default=1, min_value=1)
    created = me.DateTimeField(default=utcnow)
    modified = me.DateTimeField(default=utcnow)
    modified_by = me.ReferenceField("User")

    meta = {
        "collection": "delegations",
        "indexes": [{"fields": ["event", "city"], "unique": True}],
    }
