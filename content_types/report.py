"""The periodic report to member cities and investment-promotion agencies (CIPA, GTAI): a document of a period."""

import mongoengine as me
from flask_babel import lazy_gettext as _l

from content_types.base import Content, editable


class CooperationReport(Content):
    """A report on the cooperation projects of a period; its PDF is compiled from the data and attached.

    The secretariat writes its title and introduction (the body), chooses the
    period, compiles the PDF (cms.operations.reports) and publishes it through
    its workflow like any document: publishing freezes a version with the PDF.
    """

    type_name = "cooperation_report"
    editable_fields = editable("period_start", "period_end")
    year_field = "period_end"

    period_start = me.DateField(required=True)
    period_end = me.DateField(required=True)
    # The attachment the last compilation stored (replaced by the next one) and when it was compiled.
    compiled_attachment = me.ObjectIdField()
    compiled_at = me.DateTimeField()

    def clean(self):
        """Refuse a period that ends before it starts."""
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise me.ValidationError(errors={"period_end": _l("Ends before the period starts")})
