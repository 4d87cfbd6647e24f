"""Semi-annual meetings: first half-year in China, second half-year in Germany."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import LANGUAGES, TITLE_MAX_LENGTH, Content, refuse_control_characters, translatable
from content_types.sanitize import paragraphs_from_text, sanitize_html
from content_types.search import fold_for_search
from content_types.validation import Invalid

# The seed (III.2): the meeting alternates, first half-year in China, second in Germany.
HOST_COUNTRY_FOR_HALF = {1: "CN", 2: "DE"}

# A meeting is one item in every language: approvals, the half-year index and the documents on its agenda point
# at it by id. It carries its title, venue and agenda items itself: the own fields in the meeting's language
# (German, as a rule) and a field per other language (`title_zh`, ...), each falling back to the own one.
TRANSLATED_FIELDS = ("title", "location", "agenda_items")
OTHER_LANGUAGES = tuple(code for code in LANGUAGES if code != "de")


def field_in(name: str, language: str) -> str:
    """Return the name of the field holding field `name` in `language` (`title_zh`)."""
    return f"{name}_{language}"


def fall_back(own, own_language: str, translated, language: str) -> tuple[str, str]:
    """Return (text, its language) for a reader of `language`: `translated` where it has text, else `own`."""
    if language != own_language and isinstance(translated, str) and translated.strip():
        return translated, language
    return own or "", own_language


def fall_back_entries(own, own_language: str, translated, language: str) -> list[tuple[str, str]]:
    """Return [(entry, its language)] of a list field, position by position: the translated entry, else the own one.

    The translated list is read beside the own one (its third entry translates
    the third agenda item); an entry left empty, or missing at the end, falls
    back to the own list's. Nothing either list holds is dropped.
    """
    own = list(own or [])
    translated = list(translated or []) if language != own_language else []
    entries = []
    for index in range(max(len(own), len(translated))):
        mine = translated[index] if index < len(translated) else None
        if isinstance(mine, str) and mine.strip():
            entries.append((mine, language))
        elif index < len(own) and isinstance(own[index], str) and own[index].strip():
            entries.append((own[index], own_language))
    return entries


def _half_year_taken() -> Invalid:
    message = _l("There is already a meeting in this half-year")
    return Invalid({"half": message}, message)


class Meeting(Content):
    """A meeting of the alliance with its host city, dates and agenda."""

    type_name = "meeting"
    editable_fields = (
        "title",
        *(field_in("title", code) for code in OTHER_LANGUAGES),
        "language",
        "year",
        "half",
        "host_city",
        "starts_on",
        "ends_on",
        "location",
        *(field_in("location", code) for code in OTHER_LANGUAGES),
        "agenda_items",
        *(field_in("agenda_items", code) for code in OTHER_LANGUAGES),
        "minutes",
        "body",
        "public",
    )
    # Meetings are not translated as items of their own (see TRANSLATED_FIELDS); this serves older ones that were.
    translatable_fields = translatable("location", "agenda_items", "minutes")
    multilingual_fields = TRANSLATED_FIELDS
    year_field = "year"

    year = me.IntField(required=True, min_value=2016, max_value=2100)
    half = me.IntField(required=True, choices=(1, 2))
    host_city = me.ReferenceField("MemberCity", required=True)
    starts_on = me.DateField()
    ends_on = me.DateField()
    location = me.StringField(max_length=300, default="")
    agenda_items = me.ListField(me.StringField(max_length=500), default=list)
    minutes = me.StringField(max_length=500_000, default="")
    # The title, venue and agenda in the other languages (empty: the reader gets the meeting's own).
    title_zh = me.StringField(max_length=TITLE_MAX_LENGTH, default="")
    title_en = me.StringField(max_length=TITLE_MAX_LENGTH, default="")
    location_zh = me.StringField(max_length=300, default="")
    location_en = me.StringField(max_length=300, default="")
    agenda_items_zh = me.ListField(me.StringField(max_length=500), default=list)
    agenda_items_en = me.ListField(me.StringField(max_length=500), default=list)
    # "2027/1" on the original of a meeting (not its translations): unique across meetings.
    half_year = me.StringField(max_length=40)

    meta = {"indexes": [{"fields": ["half_year"], "unique": True, "sparse": True, "cls": False}]}

    def clean(self):
        """Enforce the host-country rule and sane dates as validation errors; claim the meeting's half-year."""
        super().clean()
        for code in OTHER_LANGUAGES:
            name = field_in("title", code)
            setattr(self, name, refuse_control_characters(name, getattr(self, name)))
        # Found by its title in any of its languages.
        titles = [self.title, *(getattr(self, field_in("title", code)) for code in OTHER_LANGUAGES)]
        self.search_text = fold_for_search(" ".join(title for title in titles if title))
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

    def text_in(self, name: str, language: str) -> tuple[str, str]:
        """Return (title or venue as a reader of `language` gets it, the language it is in): theirs, else the own."""
        if name in self.multilingual_fields and language in OTHER_LANGUAGES:
            translated = getattr(self, field_in(name, language))
            if not isinstance(translated, list):
                return fall_back(getattr(self, name), self.language, translated, language)
        return super().text_in(name, language)

    def agenda_in(self, language: str) -> list[tuple[str, str]]:
        """Return the agenda items as a reader of `language` gets them: [(item, its language)]."""
        translated = getattr(self, field_in("agenda_items", language)) if language in OTHER_LANGUAGES else []
        return fall_back_entries(self.agenda_items, self.language, translated, language)

    def speaks(self, language: str) -> bool:
        """Whether the meeting has its title in `language`."""
        if language in OTHER_LANGUAGES and language != self.language:
            return bool((getattr(self, field_in("title", language)) or "").strip())
        return super().speaks(language)

    def shown_in(self, language: str) -> dict:
        """Return the title, venue and agenda as a reader of `language` gets them, each with its language."""
        shown = {}
        for name in ("title", "location"):
            text, code = self.text_in(name, language)
            shown[name] = {"text": text, "language": code}
        shown["agenda_items"] = [{"text": text, "language": code} for text, code in self.agenda_in(language)]
        return shown

    def duplicate_refusal(self, error: me.NotUniqueError, inserting: bool):
        """Answer a refused write: its half-year taken by another meeting, else what any item answers."""
        if "half_year" in str(error):
            return _half_year_taken()
        return super().duplicate_refusal(error, inserting)
