"""A member city's proposal to the secretariat (Vorschlagsrecht, seed III.3.1.a)."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable

PROPOSAL_KINDS = ("work_plan_topic", "event", "news")
PROPOSAL_KIND_TITLES = {
    "work_plan_topic": _l("A topic for the work plan"),
    "event": _l("An event"),
    "news": _l("A news item about our city"),
}


class Proposal(Content):
    """What a member city's representative proposes: a work plan topic, an event or a news item."""

    type_name = "proposal"
    editable_fields = editable("kind")
    # The proposing city is the representative's own, recorded when it is sent; no form sets it.
    assigned_fields = ("city",)

    kind = me.StringField(required=True, choices=PROPOSAL_KINDS, default="work_plan_topic")
    city = me.ReferenceField("MemberCity")
