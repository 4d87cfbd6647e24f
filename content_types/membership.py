"""Joining the alliance: a city's membership application and the member cities' written decisions on it.

The seed (V): an application to the secretariat with the city's economic key
data, industrial characteristics, current national and international
cooperation and cooperation wishes; the secretariat circulates it to all
member cities, and it is accepted only with the written consent of every one.
"""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable, reference_id, utcnow
from content_types.refusals import Conflict

# What a consulted city may answer; `fallen_away` is written by the CMS alone,
# for a city that left the alliance before deciding (its decision no longer counts).
CONSENT = "consent"
OBJECTION = "object"
FALLEN_AWAY = "fallen_away"
DECISIONS = (CONSENT, OBJECTION, FALLEN_AWAY)
DECISION_TITLES = {
    CONSENT: _l("consents"),
    OBJECTION: _l("objects"),
    FALLEN_AWAY: _l("fell away (the city left the alliance)"),
}
# A city may apply unless it is a member already or its application is being decided.
MAY_APPLY = ("requested", "withdrawn", "excluded")
TEXT_MAX_LENGTH = 20_000


class MembershipApplication(Content):
    """A city's application to join, with the key data the seed asks for and what its process recorded."""

    type_name = "membership_application"
    editable_fields = editable(
        "city",
        "economic_data",
        "industrial_characteristics",
        "national_cooperation",
        "international_cooperation",
        "cooperation_wishes",
        "contact_name",
        "contact_email",
    )
    # Recorded by the workflow (effects) and the operations, shown with the item, never written by a form.
    assigned_fields = (
        "consulted_cities",
        "circulated_at",
        "objecting_city",
        "declaration_file",
        "declaration_text",
        "notification_letter",
        "announced_meeting",
    )
    # The consulted cities are the application's audience: their representatives see it and decide on it.
    audience_field = "consulted_cities"
    # The cities that have decided, mirrored from the decisions (which alone decide "once") for the worklist query.
    decided_field = "decided_cities"

    city = me.ReferenceField("MemberCity", required=True)
    economic_data = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    industrial_characteristics = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    national_cooperation = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    international_cooperation = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    cooperation_wishes = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    # Who applied for the city (the public form's confirming contact, or the letter's signatory).
    contact_name = me.StringField(max_length=200, default="")
    contact_email = me.EmailField(max_length=254)
    # Frozen when the application is circulated: the cities that were members at that moment.
    consulted_cities = me.ListField(me.ReferenceField("MemberCity"), default=list)
    circulated_at = me.DateTimeField()
    decided_cities = me.ListField(me.ObjectIdField(), default=list)
    # The applicant city's status before it became `applicant` (given back if the application is rejected).
    city_status_before = me.StringField(max_length=20)
    objecting_city = me.ReferenceField("MemberCity")
    # The signed declaration (an attachment of this item) and the published declaration text it signs.
    declaration_file = me.ObjectIdField()
    declaration_text = me.ObjectIdField()
    # The formal notification letter (an attachment of this item, a PDF).
    notification_letter = me.ObjectIdField()
    announced_meeting = me.ReferenceField("Content")

    def clean(self):
        """Refuse a member city as the applicant (one applying already is refused when the application circulates)."""
        super().clean()
        city = self.city
        if self.state in (None, "received") and getattr(city, "status", None) == "member":
            raise me.ValidationError(errors={"city": _l("This city is a member already.")})


class ConsentDecision(me.Document):
    """One consulted city's written decision on one application: recorded once, never changed.

    The unique index on (application, city) is what makes "once" true: of two
    decisions for the same city written at the same moment the database keeps
    one and refuses the other.
    """

    application = me.ObjectIdField(required=True)
    city = me.ReferenceField("MemberCity", required=True)
    decision = me.StringField(required=True, choices=DECISIONS)
    comment = me.StringField(max_length=5000, default="")
    # The signed letter (an attachment of the application), if one was sent.
    letter = me.ObjectIdField()
    decided_by = me.ReferenceField("User")
    decided_by_name = me.StringField(max_length=254, default="")
    at = me.DateTimeField(default=utcnow)

    meta = {
        "collection": "consent_decisions",
        "indexes": [{"fields": ["application", "city"], "unique": True}, "city"],
        "ordering": ["at"],
    }

    def insert(self) -> "ConsentDecision":
        """Insert the decision, then note the city as decided on the application; Conflict if it decided already."""
        try:
            self.save(force_insert=True)
        except me.NotUniqueError:
            raise Conflict(
                _l("This city has already recorded its decision on this application."), code="already_decided"
            ) from None
        Content._get_collection().update_one(
            {"_id": self.application}, {"$addToSet": {"decided_cities": reference_id(self._data["city"])}}
        )
        return self


class Reminder(me.Document):
    """A reminder the secretariat sent to the consulted cities still missing (kept as the outbox for mail)."""

    application = me.ObjectIdField(required=True)
    cities = me.ListField(me.ReferenceField("MemberCity"), default=list)
    sent_by = me.ReferenceField("User")
    at = me.DateTimeField(default=utcnow)

    meta = {"collection": "consent_reminders", "indexes": ["application"], "ordering": ["at"]}
