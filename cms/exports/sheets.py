"""What an export holds: the rows of the companies or projects the caller may view, in the caller's language.

Rows are read from the collection as plain documents (only the exported
fields), so that tens of thousands of rows cost no document objects; codes
become titles, references names, and a project names only the companies the
caller may view. Contacts are in the sheet only for those who may see them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from cms.exports import filters
from cms.labels import FIELD_LABELS
from cms.security import can, permitted_query
from content_types import Company, CooperationProject, MemberCity
from content_types.city import COUNTRY_NAMES
from content_types.company import CONTACT_FIELDS, INTEREST_TITLES, PROJECT_KIND_TITLES, SIZE_TITLES, STAGE_TITLES
from content_types.refusals import NotPossible
from content_types.search import fold_for_sorting
from content_types.sectors import SECTORS
from workflows import state_title
from workflows.permissions import VIEW, VIEW_CONTACTS
from workflows.types import TYPES

# More rows than anyone reads in a spreadsheet; the filters narrow an export down.
MAX_ROWS = 50_000
# How several values share a cell (products, interests, a side's companies).
JOINED = "; "


@dataclass(frozen=True)
class Column:
    """One column: its field, header, width in characters, and how a stored document gives its cell."""

    name: str
    header: str
    width: int
    value: Callable[[dict, "Context"], object]


@dataclass
class Context:
    """What turning documents into rows needs besides them: the language, the cities, visible company names."""

    language: str
    cities: dict
    company_titles: dict


@dataclass
class Sheet:
    """An export's content: its title (sheet and file name), column headers and widths, and rows."""

    title: str
    file_stem: str
    header: list[str]
    widths: list[int]
    rows: list[list]


def _label(name: str) -> str:
    return str(FIELD_LABELS[name])


def _text(name: str) -> Callable[[dict, Context], object]:
    return lambda document, context: document.get(name) or ""


def _titled(name: str, titles: Mapping) -> Callable[[dict, Context], object]:
    return lambda document, context: str(titles.get(document.get(name), document.get(name) or ""))


def _city(name: str) -> Callable[[dict, Context], object]:
    def value(document, context):
        city = context.cities.get(document.get(name))
        return city.name(context.language) if city else ""

    return value


def _day(name: str) -> Callable[[dict, Context], object]:
    def value(document, context):
        stored = document.get(name)
        return stored.date() if isinstance(stored, datetime) else stored if isinstance(stored, date) else None

    return value


def _companies(name: str) -> Callable[[dict, Context], object]:
    # Only companies the caller may view are named: a project must not reveal a draft company's name.
    def value(document, context):
        titles = (context.company_titles.get(company) for company in document.get(name) or ())
        return JOINED.join(title for title in titles if title)

    return value


def _state(type_name: str) -> Callable[[dict, Context], object]:
    return lambda document, context: str(state_title(type_name, document.get("state")))


def _identifier(document, context) -> str:
    return str(document["_id"])


def company_columns(with_contacts: bool) -> list[Column]:
    """Return the columns of a company export; the contact's only `with_contacts`."""
    columns = [
        Column("title", str(TYPES[Company.type_name].title), 36, _text("title")),
        Column("name_de", _label("name_de"), 30, _text("name_de")),
        Column("name_zh", _label("name_zh"), 24, _text("name_zh")),
        Column("name_en", _label("name_en"), 30, _text("name_en")),
        Column("city", _label("city"), 16, _city("city")),
        Column("country", _label("country"), 12, _titled("country", COUNTRY_NAMES)),
        Column("sector", _label("sector"), 10, _text("sector")),
        Column("sector_title", _("Sector"), 36, _titled("sector", SECTORS)),
        Column("size", _label("size"), 24, _titled("size", SIZE_TITLES)),
        Column("products", _label("products"), 36, lambda d, c: JOINED.join(d.get("products") or ())),
        Column(
            "interests",
            _label("interests"),
            40,
            lambda d, c: JOINED.join(str(INTEREST_TITLES.get(i, i)) for i in d.get("interests") or ()),
        ),
        Column("website", _label("website"), 28, _text("website")),
    ]
    if with_contacts:
        columns += [Column(name, _label(name), 26, _text(name)) for name in CONTACT_FIELDS]
    return columns + [
        Column("state", _("State"), 14, _state(Company.type_name)),
        Column("id", "ID", 26, _identifier),
    ]


def project_columns() -> list[Column]:
    """Return the columns of a cooperation project export."""
    return [
        Column("title", str(TYPES[CooperationProject.type_name].title), 40, _text("title")),
        Column("cooperation", _label("cooperation"), 22, _titled("cooperation", PROJECT_KIND_TITLES)),
        Column("stage", _label("stage"), 12, _titled("stage", STAGE_TITLES)),
        Column("german_city", _label("german_city"), 16, _city("german_city")),
        Column("chinese_city", _label("chinese_city"), 16, _city("chinese_city")),
        Column("german_companies", _label("german_companies"), 36, _companies("german_companies")),
        Column("chinese_companies", _label("chinese_companies"), 36, _companies("chinese_companies")),
        Column("volume", _label("volume"), 14, lambda d, c: d.get("volume")),
        Column("currency", _label("currency"), 8, _text("currency")),
        Column("started_on", _label("started_on"), 12, _day("started_on")),
        Column("ends_on", _label("ends_on"), 12, _day("ends_on")),
        Column("source", _label("source"), 30, _text("source")),
        Column("state", _("State"), 14, _state(CooperationProject.type_name)),
        Column("id", "ID", 26, _identifier),
    ]


def _documents(user, cls, chosen: dict, fields) -> list[dict]:
    # What the caller may view (the same rule as can()), of what the filters chose; no more than MAX_ROWS.
    query = (
        {"$and": [permitted_query(user, VIEW, [cls.type_name]), chosen]}
        if chosen
        else permitted_query(user, VIEW, [cls.type_name])
    )
    cursor = cls._get_collection().find(query, {name: 1 for name in fields})
    documents = []
    for document in cursor:
        if len(documents) == MAX_ROWS:
            cursor.close()
            raise NotPossible(
                _("More than %(count)s rows: choose filters that narrow the export down.", count=MAX_ROWS),
                code="too_many_rows",
            )
        documents.append(document)
    return documents


def _language() -> str:
    return str(get_locale() or "de")


def _cities() -> dict:
    return {city.pk: city for city in MemberCity.objects.only("id", "name_de", "name_zh", "name_en", "country")}


def _sheet(title, file_stem: str, columns: list[Column], documents: list[dict], context: Context) -> Sheet:
    return Sheet(
        title=str(title),
        file_stem=file_stem,
        header=[column.header for column in columns],
        widths=[column.width for column in columns],
        rows=[[column.value(document, context) for column in columns] for document in documents],
    )


def company_sheet(user, args: Mapping[str, list[str]]) -> Sheet:
    """Return the export of the companies `user` may view that the filters in `args` choose (400 for a bad filter)."""
    chosen = filters.company_query(args)
    columns = company_columns(can(user, VIEW_CONTACTS))
    fields = {column.name for column in columns} - {"id", "sector_title"}
    documents = _documents(user, Company, chosen, fields)
    context = Context(_language(), _cities(), {})
    # By country, city and name, as the companies' lists show them.
    documents.sort(
        key=lambda d: (d.get("country") or "", _city("city")(d, context), fold_for_sorting(d.get("title") or ""))
    )
    return _sheet(TYPES[Company.type_name].plural, "companies", columns, documents, context)


def project_sheet(user, args: Mapping[str, list[str]]) -> Sheet:
    """Return the export of the cooperation projects `user` may view that the filters in `args` choose."""
    chosen = filters.project_query(args)
    columns = project_columns()
    fields = {column.name for column in columns} - {"id"}
    documents = _documents(user, CooperationProject, chosen, fields)
    named = {
        company for d in documents for side in ("german", "chinese") for company in d.get(f"{side}_companies") or ()
    }
    context = Context(_language(), _cities(), visible_company_titles(user, named))
    documents.sort(key=lambda d: (d.get("started_on") or datetime.max, fold_for_sorting(d.get("title") or "")))
    return _sheet(TYPES[CooperationProject.type_name].plural, "cooperation-projects", columns, documents, context)


def visible_company_titles(user, ids) -> dict:
    """Return {id: title} of the companies among `ids` that `user` may view."""
    if not ids:
        return {}
    query = {"$and": [permitted_query(user, VIEW, [Company.type_name]), {"_id": {"$in": list(ids)}}]}
    return {document["_id"]: document["title"] for document in Company._get_collection().find(query, {"title": 1})}
