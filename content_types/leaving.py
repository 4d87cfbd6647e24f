"""Leaving the alliance (seed V): a member city's written withdrawal, and the secretariat's motion to exclude one.

Neither item changes the city's status itself: its workflow does, through
MemberCity.change_status(), once the withdrawal is completed or the meeting
has decided the motion.
"""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content

REASONS_MAX_LENGTH = 20_000
# The longest statement a representative types into the member area's withdrawal form.
STATEMENT_MAX_LENGTH = 20_000


def _refuse_non_member(item: Content, initial_state: str) -> None:
    # Only a member can leave or be excluded; checked while the item is new (the city's status moves on later).
    city = item.city
    if item.state in (None, initial_state) and city is not None and getattr(city, "status", None) != "member":
        raise me.ValidationError(errors={"city": _l("The city is not a member of the alliance.")})


class Withdrawal(Content):
    """A member city's written request to leave the alliance (its letter attached or its text in the body)."""

    type_name = "withdrawal"
    # Not marked public: a city's withdrawal is the members' and the secretariat's business.
    editable_fields = ("title", "language", "city", "requested_on", "body")
    # Recorded by the workflow, shown with the item, never written by a form.
    assigned_fields = ("circular_number", "left_on")

    city = me.ReferenceField("MemberCity", required=True)
    # The date of the city's letter.
    requested_on = me.DateField()
    # The circular that informed the member cities (its number, and the item).
    circular = me.ObjectIdField()
    circular_number = me.StringField(max_length=20)
    # When the withdrawal took effect (the city's status history says the same).
    left_on = me.DateTimeField()

    def clean(self):
        """Refuse a withdrawal for a city that is not a member."""
        super().clean()
        _refuse_non_member(self, "requested")


class ExclusionMotion(Content):
    """The secretariat's motion to exclude a member city that does not meet its duties, decided at a meeting."""

    type_name = "exclusion_motion"
    editable_fields = ("title", "language", "city", "reasons", "body")
    assigned_fields = ("decision_text", "decided_at")

    city = me.ReferenceField("MemberCity", required=True)
    # Why the secretariat proposes the exclusion (which duties the city does not meet).
    reasons = me.StringField(required=True, min_length=1, max_length=REASONS_MAX_LENGTH)
    # What the meeting decided, in its words, and when it was recorded.
    decision_text = me.StringField(max_length=5000)
    decided_at = me.DateTimeField()

    def clean(self):
        """Refuse a motion without reasons, or against a city that is not a member."""
        super().clean()
        self.reasons = (self.reasons or "").strip()
        _refuse_non_member(self, "proposed")
