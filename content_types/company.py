"""The company database for investment cooperation (seed IV.1): companies and their cooperation projects."""

import re

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable, reference_id, refuse_control_characters, utcnow
from content_types.sectors import SECTOR_CODES

COUNTRY_OF_SIDE = {"german": "DE", "chinese": "CN"}

SIZES = ("micro", "small", "medium", "large")
# The EU's size classes by headcount (Recommendation 2003/361/EC), which Chinese statistics use alike.
SIZE_TITLES = {
    "micro": _l("Micro (fewer than 10 employees)"),
    "small": _l("Small (10–49 employees)"),
    "medium": _l("Medium (50–249 employees)"),
    "large": _l("Large (250 employees or more)"),
}

# What a company looks for or offers. Each interest is matched by its counterpart in the other
# country (cms.matching): who seeks investment by who offers it, who sells by who buys.
INTERESTS = (
    "investment_sought",
    "investment_offered",
    "technology_sought",
    "technology_offered",
    "sales_partners",
    "suppliers",
    "joint_venture",
    "research",
)
INTEREST_TITLES = {
    "investment_sought": _l("Seeks investment"),
    "investment_offered": _l("Offers investment"),
    "technology_sought": _l("Seeks technology"),
    "technology_offered": _l("Offers technology"),
    "sales_partners": _l("Seeks sales partners (export)"),
    "suppliers": _l("Seeks suppliers (import)"),
    "joint_venture": _l("Seeks a joint venture"),
    "research": _l("Seeks research partners"),
}
COMPLEMENTS = {
    "investment_sought": "investment_offered",
    "investment_offered": "investment_sought",
    "technology_sought": "technology_offered",
    "technology_offered": "technology_sought",
    "sales_partners": "suppliers",
    "suppliers": "sales_partners",
    "joint_venture": "joint_venture",
    "research": "research",
}

PROJECT_KINDS = ("investment", "joint_venture", "technology_transfer", "trade", "research")
PROJECT_KIND_TITLES = {
    "investment": _l("Investment"),
    "joint_venture": _l("Joint venture"),
    "technology_transfer": _l("Technology transfer"),
    "trade": _l("Trade"),
    "research": _l("Research and development"),
}
STAGES = ("idea", "talks", "agreed", "running", "completed", "dropped")
STAGE_TITLES = {
    "idea": _l("Idea"),
    "talks": _l("In talks"),
    "agreed": _l("Agreed"),
    "running": _l("Running"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped"),
}
CURRENCIES = ("EUR", "CNY", "USD")
MAX_PRODUCTS = 50

# What only member cities and the secretariat see of a company (the public sees the rest once it is public).
CONTACT_FIELDS = ("contact_person", "contact_mail", "contact_phone")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9 ()/.-]{5,40}$")


def _city_country(value) -> str | None:
    # The city's country, read without dereferencing a stale reference into an error.
    from content_types.city import MemberCity

    city_id = reference_id(value)
    if city_id is None:
        return None
    city = MemberCity.objects(pk=city_id).only("country").first()
    return city.country if city else None


class Company(Content):
    """A company in a member city, with its sector, size and what cooperation it seeks or offers."""

    type_name = "company"
    editable_fields = editable(
        "name_de",
        "name_zh",
        "name_en",
        "city",
        "sector",
        "size",
        "products",
        "interests",
        "website",
        *CONTACT_FIELDS,
    )
    # Shown with the company, set from its city: the country a partner search filters by.
    assigned_fields = ("country",)
    # The representatives' own city: a member city's representative files companies for it only.
    filing_city_fields = ("city",)
    # Seen by member cities and staff only (cms.operations.companies.shown_fields).
    members_only_fields = CONTACT_FIELDS

    # The title is the name as registered at home; the others let either side's readers find it.
    name_de = me.StringField(max_length=200, default="")
    name_zh = me.StringField(max_length=200, default="")
    name_en = me.StringField(max_length=200, default="")
    city = me.ReferenceField("MemberCity", required=True)
    country = me.StringField(max_length=2)
    sector = me.StringField(required=True, choices=SECTOR_CODES)
    size = me.StringField(required=True, choices=SIZES, default="small")
    products = me.ListField(me.StringField(max_length=200), default=list)
    interests = me.ListField(me.StringField(choices=INTERESTS), default=list)
    website = me.StringField(max_length=300, default="")
    contact_person = me.StringField(max_length=200, default="")
    contact_mail = me.StringField(max_length=254, default="")
    contact_phone = me.StringField(max_length=40, default="")

    meta = {"indexes": [("country", "sector"), "city"]}

    def clean(self):
        """Check names, website and contact; take the country from the company's city."""
        super().clean()
        errors = {}
        for name in ("name_de", "name_zh", "name_en", "contact_person", "contact_phone"):
            try:
                setattr(self, name, refuse_control_characters(name, getattr(self, name)) or "")
            except me.ValidationError as error:
                errors.update(error.errors)
        self.website = (self.website or "").strip()
        if self.website and not _WEBSITE.match(self.website):
            errors["website"] = _l("Give the address with http:// or https://")
        self.contact_mail = (self.contact_mail or "").strip()
        if self.contact_mail and not _EMAIL.match(self.contact_mail):
            errors["contact_mail"] = _l("This is not an e-mail address")
        if self.contact_phone and not _PHONE.match(self.contact_phone):
            errors["contact_phone"] = _l("Give the number in digits, like +49 241 432-0")
        self.products = [product.strip() for product in self.products or () if product and product.strip()]
        if len(self.products) > MAX_PRODUCTS:
            errors["products"] = _l("Name at most %(count)s products", count=MAX_PRODUCTS)
        unknown = set(self.interests or ()) - set(INTERESTS)
        if unknown:
            errors["interests"] = _l("Choose the interests from the list")
        # Each interest once, in the listed order (a form's checkboxes or an API list alike).
        self.interests = [interest for interest in INTERESTS if interest in set(self.interests or ())]
        if errors:
            raise me.ValidationError(errors=errors)
        self.country = _city_country(self._data.get("city")) or self.country


class StageChange(me.EmbeddedDocument):
    """A project's stage from a day on (the pipeline over time is read from these)."""

    stage = me.StringField(required=True, choices=STAGES)
    since = me.DateTimeField(required=True)


class CooperationProject(Content):
    """A bilateral investment or cooperation project between companies of a German and a Chinese member city."""

    type_name = "cooperation_project"
    editable_fields = editable(
        "cooperation",
        "stage",
        "german_city",
        "chinese_city",
        "german_companies",
        "chinese_companies",
        "volume",
        "currency",
        "started_on",
        "ends_on",
        "source",
    )
    # Either side's representatives may file it for their city.
    filing_city_fields = ("german_city", "chinese_city")

    cooperation = me.StringField(required=True, choices=PROJECT_KINDS, default="investment")
    stage = me.StringField(required=True, choices=STAGES, default="idea")
    german_city = me.ReferenceField("MemberCity", required=True)
    chinese_city = me.ReferenceField("MemberCity", required=True)
    german_companies = me.ListField(me.ReferenceField("Company"), default=list, max_length=20)
    chinese_companies = me.ListField(me.ReferenceField("Company"), default=list, max_length=20)
    # In whole units of the currency (the sources report rounded sums).
    volume = me.IntField(min_value=0, max_value=10**13)
    currency = me.StringField(choices=CURRENCIES, default="EUR")
    started_on = me.DateField()
    ends_on = me.DateField()
    # Where the secretariat learnt of it (a city, GTAI, CIPA, the press).
    source = me.StringField(max_length=300, default="")
    # Kept by clean(): the stage it entered and when, each time the stage changes.
    stage_history = me.EmbeddedDocumentListField(StageChange, default=list)

    meta = {"indexes": ["stage", ("german_city", "chinese_city")]}

    def clean(self):
        """Check each side's cities and companies are in its country; record a stage change with its day."""
        super().clean()
        errors = {}
        for side, country in COUNTRY_OF_SIDE.items():
            city_field = f"{side}_city"
            if self._data.get(city_field) is not None and _city_country(self._data.get(city_field)) != country:
                errors[city_field] = _l("This city is not in the country of this side")
            companies = [reference_id(company) for company in self._data.get(f"{side}_companies") or ()]
            if companies and Company.objects(pk__in=companies, country__ne=country).only("id").first():
                errors[f"{side}_companies"] = _l("A company on this side is not in its country")
        if self.started_on and self.ends_on and self.ends_on < self.started_on:
            errors["ends_on"] = _l("Ends before it starts")
        if errors:
            raise me.ValidationError(errors=errors)
        self.source = refuse_control_characters("source", self.source) or ""
        if not self.stage_history or self.stage_history[-1].stage != self.stage:
            self.stage_history.append(StageChange(stage=self.stage, since=utcnow()))
