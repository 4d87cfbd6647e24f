"""The alliance's documents: work concept, work plan, MoU, declaration, circular, news."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable, translatable, utcnow


class Counter(me.Document):
    """A named counter incremented atomically (circular numbers per year)."""

    key = me.StringField(required=True, unique=True, max_length=60)
    value = me.IntField(default=0)

    meta = {"collection": "counters"}


class Concept(Content):
    """The alliance's work concept (Arbeitskonzept), like the founding one of 2016."""

    type_name = "concept"
    editable_fields = editable("dated")
    year_field = "dated"

    # When the concept was adopted (the founding one: 26 February 2016).
    dated = me.DateField()


class WorkPlan(Content):
    """The annual work plan: a one-year period with concrete topics and projects."""

    type_name = "work_plan"
    editable_fields = editable("year", "period_start", "period_end", "topics", "projects")
    translatable_fields = translatable("topics", "projects")
    year_field = "year"

    year = me.IntField(required=True, min_value=2016, max_value=2100)
    period_start = me.DateField()
    period_end = me.DateField()
    topics = me.ListField(me.StringField(max_length=500), default=list)
    projects = me.ListField(me.StringField(max_length=500), default=list)

    def clean(self):
        """Refuse a period that ends before it starts."""
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise me.ValidationError(errors={"period_end": _l("Ends before the period starts")})


class Mou(Content):
    """The Memorandum of Understanding the member cities sign."""

    type_name = "mou"
    editable_fields = editable("signed_on")
    year_field = "signed_on"

    signed_on = me.DateField()


class Declaration(Content):
    """The member declaration (the MoU annex) a joining city signs."""

    type_name = "declaration"
    editable_fields = editable("city")

    city = me.ReferenceField("MemberCity")


class Circular(Content):
    """A circular (Rundschreiben) to the member cities, numbered per year like 2026/07."""

    type_name = "circular"
    editable_fields = editable("subject", "recipients")
    translatable_fields = translatable("subject")
    assigned_fields = ("number", "encloses", "encloses_version")
    # Addressed to some member cities: only their representatives (and staff) may read it.
    audience_field = "recipients"

    # Shared by the circular's translations; the counter alone hands out new
    # numbers, so no unique index (it would refuse the translations).
    number = me.StringField(max_length=20, regex=r"^\d{4}/\d{2,}$")
    subject = me.StringField(max_length=300, default="")
    # Empty means all member cities.
    recipients = me.ListField(me.ReferenceField("MemberCity"), default=list)
    # Who it was sent to, recorded when it is published (sent).
    sent_to = me.ListField(me.ReferenceField("MemberCity"), default=list)
    sent_at = me.DateTimeField()
    # The released document it sends, and which published version of it (attached as its PDF).
    encloses = me.ObjectIdField()
    encloses_version = me.IntField()

    def assign_number(self) -> str:
        """Give a new circular the next number of its year (2026/07), atomically."""
        if not self.number:
            year = (self.created or utcnow()).year
            counter = Counter.objects(key=f"circular/{year}").modify(upsert=True, new=True, inc__value=1)
            self.number = f"{year}/{counter.value:02d}"
        return self.number


class News(Content):
    """A news item for the website and the newsletter."""

    type_name = "news"
    editable_fields = editable("summary")
    translatable_fields = translatable("summary")

    summary = me.StringField(max_length=1000, default="")

    def __str__(self):
        # Named by its title where a list shows it (the newsletter's chooser and page).
        return self.title or ""
