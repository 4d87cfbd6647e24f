"""A membership application sent through the public form, waiting for its contact to confirm it by a link.

It is not a content item: until the contact confirms, nothing of it is in the
secretariat's process (no list, worklist, search or API shows it). Confirming
turns it into a `membership_application` under the same id, so confirming
twice finds the application there and makes no second one. Its uploaded
documents are stored as attachments of that id from the start, so they become
the application's without being copied.
"""

import mongoengine as me

from content_types.base import LANGUAGES, utcnow
from content_types.city import COUNTRIES
from content_types.membership import TEXT_MAX_LENGTH

# The seed's key data an application carries (section V), in form order.
KEY_DATA_FIELDS = (
    "economic_data",
    "industrial_characteristics",
    "national_cooperation",
    "international_cooperation",
    "cooperation_wishes",
)
NEW_CITY_FIELDS = ("name_de", "name_zh", "name_en", "country")
CITY_NAME_MAX_LENGTH = 120


class ApplicationSubmission(me.Document):
    """What an applicant sent through the public form; confirmed (or dropped after a few days) by the scheduler."""

    # The registry city applying, or None when the applicant named a new city (the name_* fields and country).
    city = me.ObjectIdField()
    name_de = me.StringField(max_length=CITY_NAME_MAX_LENGTH, default="")
    name_zh = me.StringField(max_length=CITY_NAME_MAX_LENGTH, default="")
    name_en = me.StringField(max_length=CITY_NAME_MAX_LENGTH, default="")
    country = me.StringField(choices=COUNTRIES)
    economic_data = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    industrial_characteristics = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    national_cooperation = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    international_cooperation = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    cooperation_wishes = me.StringField(max_length=TEXT_MAX_LENGTH, default="")
    contact_name = me.StringField(required=True, max_length=200)
    contact_email = me.EmailField(required=True, max_length=254)
    contact_language = me.StringField(required=True, choices=LANGUAGES)
    # The client address it came from (the limit per address counts these).
    address = me.StringField(max_length=64, default="")
    created = me.DateTimeField(default=utcnow)
    # Set once the contact confirmed (the application of the same id exists from then on).
    confirmed_at = me.DateTimeField()

    meta = {
        "collection": "application_submissions",
        "indexes": ["created", "contact_email", "address"],
        "ordering": ["created"],
    }
