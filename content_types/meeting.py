"""Semi-annual meetings: first half-year in China, second half-year in Germany."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable
from content_types.sanitize import paragraphs_from_text, sanitize_html
from content_types.validation import Invalid

# The seed (III.2): the meeting alternates, first half-year in China, second in Germany.
HOST_COUNTRY_FOR_HALF = {1: "CN", 2: "DE"}


def _half_year_taken() -> Invalid:
    message = _l("There is already a meeting in this half-year")
    return Invalid({"half": message}, message)


class Meeting(Content):
    """A meeting of the alliance with its host city, dates and agenda."""

    type_name = "meeting"
    editable_fields = editable(
        "year", "half", "host_city", "starts_on", "ends_on", "location", "agenda_items", "minutes"
    )
    year_field = "year"

    year = me.IntField(required=True, min_value=2016, max_value=2100)
    half = me.IntField(required=True, choices=(1, 2))
    host_city = me.ReferenceField("MemberCity", required=True)
    starts_on = me.DateField()
    ends_on = me.DateField()
    location = me.StringField(max_length=300, default="")
    agenda_items = me.ListField(me.StringField(max_length=500), default=list)
    minutes = me.StringField(max_length=500_000, default="")
    # "2027/1" on the original of a meeting (not its translations): unique across meetings.
    half_year = me.StringField(max_length=40)

    meta = {"indexes": [{"fields": ["half_year"], "unique": True, "sparse": True, "cls": False}]}

    def clean(self):
        """Enforce the host-country rule and sane dates as validation errors; claim the meeting's half-year."""
        super().clean()
        self.minutes = sanitize_html(paragraphs_from_text(self.minutes))
        # One semi-annual meeting per half-year, kept by a unique index (two saves at once can't both win);
        # its translations are the same meeting in other languages and claim nothing.
        self.half_year = f"{self.year}/{self.half}" if self.year and self.half and not self.translation_of else None
        errors = {}
        expected = HOST_COUNTRY_FOR_HALF.get(self.half)
        host = self.host_city
        if expected and host is not None and getattr(host, "country", None) != expected:
            errors["host_city"] = (
                _l("A first-half meeting is hosted by a Chinese member city")
                if self.half == 1
                else _l("A second-half meeting is hosted by a German member city")
            )
        if host is not None and getattr(host, "status", "member") != "member":
            errors["host_city"] = _l("The host must be a member city")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _l("Ends before it starts")
        for field, day in (("starts_on", self.starts_on), ("ends_on", self.ends_on)):
            if day and self.year and day.year != self.year:
                errors[field] = _l("Lies outside the meeting's year")
            elif day and self.half and (day.month <= 6) != (self.half == 1):
                errors[field] = _l("Lies outside the meeting's half-year")
        if errors:
            raise me.ValidationError(errors=errors)

    def duplicate_refusal(self, error: me.NotUniqueError, inserting: bool):
        """Answer a refused write: its half-year taken by another meeting, else what any item answers."""
        if "half_year" in str(error):
            return _half_year_taken()
        return super().duplicate_refusal(error, inserting)
