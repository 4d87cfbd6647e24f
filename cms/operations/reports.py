"""Compiling the report to member cities and agencies: its PDF rendered from the data and stored as its attachment.

The report is a document like any other: the secretariat compiles it while
it may still change it (a draft, or in review), each compilation replacing the
earlier one's PDF as the item's next revision; publishing it freezes a version
with the PDF it then has.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from cms import audit
from cms.exports.report_pdf import render_report
from cms.exports.statistics import figures
from cms.operations import attachments, locks, refuse_unless
from cms.revisions import record_revision
from cms.security import can
from content_types import Attachment
from content_types.base import StaleRevision, utcnow
from content_types.refusals import Conflict
from content_types.report import CooperationReport
from workflows.permissions import MODIFY


def may_compile_report(user, item) -> bool:
    """Whether `user` may compile the report's PDF now: a report they may change in its current state."""
    return isinstance(item, CooperationReport) and can(user, MODIFY, item)


def report_pdf(item: CooperationReport, compiled_at) -> tuple[bytes, int]:
    """Return (the report's PDF in its own language, how many projects it counts); nothing is stored."""
    with force_locale(item.language):
        shown = figures(item.period_start, item.period_end, item.language)
        return render_report(item.title, item.body, shown, compiled_at), shown.total


def compile_report(user, item: CooperationReport) -> Attachment:
    """Render the report's PDF from the data of its period, attach it in place of the earlier one; audited.

    The PDF is stored first and the item's next revision written with a
    compare-and-set: an edit or a step meanwhile refuses the compilation (its
    file is removed again), and the earlier PDF is removed only once the new
    one is recorded.
    """
    refuse_unless(may_compile_report(user, item), user, item, "compile_report")
    if locks.held_by_other(user, item):
        holder, since = locks.lock_holder(item)
        raise Conflict(
            _("Being edited by %(user)s since %(since)s UTC.", user=holder.email, since=since.strftime("%H:%M")),
            code="locked",
        )
    now = utcnow()
    pdf, counted = report_pdf(item, now)
    name = f"report-{item.period_start:%Y-%m-%d}-{item.period_end:%Y-%m-%d}-{item.language}.pdf"
    compiled = attachments.store_generated(user, item, name, "application/pdf", pdf)
    written = CooperationReport._get_collection().update_one(
        {"_id": item.pk, "revision": item.revision, "state": item.state},
        {
            "$set": {
                "revision": item.revision + 1,
                "modified": now,
                "changed": now,
                "compiled_attachment": compiled.pk,
                "compiled_at": now,
            }
        },
    )
    if written.modified_count != 1:
        attachments.discard(compiled)
        raise StaleRevision({"revision": item.revision})
    earlier = item.compiled_attachment
    item.revision, item.modified, item.compiled_attachment, item.compiled_at = item.revision + 1, now, compiled.pk, now
    replaced = Attachment.objects(pk=earlier, item=item.pk).first() if earlier else None
    if replaced is not None:
        attachments.discard(replaced)
    record_revision(item, user, removed=(replaced.name,) if replaced else (), added=(compiled.name,))
    audit.record("update", user, item, "report_compiled", name=compiled.name, projects=counted, revision=item.revision)
    return compiled
