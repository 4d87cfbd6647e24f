"""What the index holds of an item: its words, its facets and who may find it."""

from html.parser import HTMLParser
from pathlib import Path

import mongoengine as me
from flask_babel import force_locale

from cms.search.analysis import joined
from cms.search.extract import cached_text_of
from cms.search.principals import item_principals
from content_types import LANGUAGES, Attachment, Content, MemberCity
from content_types.base import reference_id
from content_types.sectors import SECTORS

# Fields that are never text to search (the engine's, the revision counter's, the sharing tab's).
_TITLE_LIKE = ("title", "name_")


class _Text(HTMLParser):
    # The text of a sanitised body (the allow-list leaves no script or style whose text would leak in).
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")


def plain_text(html: str | None) -> str:
    """Return the text of an HTML fragment, tags turned into spaces."""
    if not html:
        return ""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [entry for entry in value if isinstance(entry, str)]
    return []


def _is_text_field(field) -> bool:
    if isinstance(field, me.ListField):
        field = field.field
    return isinstance(field, me.StringField) and not field.choices


def _is_city_field(field) -> bool:
    return isinstance(field, me.ReferenceField) and field.document_type_obj in ("MemberCity", MemberCity)


class Cities:
    """The member cities' names and countries, read once per batch."""

    def __init__(self):
        self._cities = {city.pk: city for city in MemberCity.objects.only("name_de", "name_zh", "name_en", "country")}

    def get(self, city_id):
        """Return the city `city_id`, or None."""
        return self._cities.get(city_id)


def build(item: Content, attachments: list[Attachment], cities: Cities, cache_dir: Path) -> dict:
    """Return the index document of `item` (with its `attachments`' text) for the engine."""
    cls = type(item)
    titles, texts, members_only = [item.title or ""], [plain_text(item.body)], []
    city_ids = []
    for name in cls.editable_fields:
        field = cls._fields.get(name)
        if field is None or name in ("title", "body"):
            continue
        value = getattr(item, name, None) if not _is_city_field(field) else item._data.get(name)
        if _is_city_field(field):
            if (city_id := reference_id(value)) is not None:
                city_ids.append(city_id)
        elif _is_text_field(field):
            words = [plain_text(text) for text in _texts(value)]
            if name in cls.members_only_fields:
                members_only.extend(words)
            elif name.startswith(_TITLE_LIKE):
                titles.extend(words)
            else:
                texts.extend(words)
    # The snippets' source: the item's own text (not the sector's and cities' names in three languages).
    preview = " ".join(text for text in texts if text)
    sector = getattr(item, "sector", None)
    if sector in SECTORS:
        # The sector's code and its title in each language: "Zulieferer" and "零部件" find C29.3 alike.
        texts.append(sector)
        for language in LANGUAGES:
            with force_locale(language):
                texts.append(str(SECTORS[sector]))
    countries = {getattr(item, "country", None)} - {None, ""}
    for city_id in city_ids:
        if city := cities.get(city_id):
            texts.extend(city.name(language) for language in LANGUAGES)
            countries.add(city.country)
    for attachment in attachments:
        texts.append(attachment.name)
        texts.append(cached_text_of(cache_dir, attachment.sha256, attachment.file.read, attachment.content_type))
    return {
        "id": str(item.pk),
        "type": item.type_name,
        "title": item.title or "",
        "preview": preview,
        "title_tokens": joined(" ".join(titles)),
        "text_tokens": joined(" ".join(texts)),
        "members_tokens": joined(" ".join(members_only)),
        "state": item.state,
        "language": item.language,
        "year": item.year_value(),
        "city": [str(city_id) for city_id in city_ids],
        "country": sorted(countries),
        "sector": sector,
        "interests": list(getattr(item, "interests", None) or ()),
        "stage": getattr(item, "stage", None),
        "size": getattr(item, "size", None),
        "viewers": item_principals(item),
        "files": [str(attachment.pk) for attachment in attachments],
        "modified": int(item.modified.timestamp()) if item.modified else 0,
    }


def attachments_of(item_ids) -> dict:
    """Return {item id: [its attachments]} for `item_ids`, in one query."""
    found: dict = {}
    for attachment in Attachment.objects(item__in=list(item_ids)):
        found.setdefault(attachment.item, []).append(attachment)
    return found
