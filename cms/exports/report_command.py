"""`cms report`: the report to member cities and agencies as a PDF file, for a period, without publishing it."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from cms.exports.report_pdf import render_report
from cms.exports.statistics import figures
from content_types import LANGUAGES
from content_types.base import utcnow


@click.command("report")
@click.option("--from", "period_start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, 2026-01-01.")
@click.option("--to", "period_end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, 2026-12-31.")
@click.option("--language", type=click.Choice(LANGUAGES), default="de", show_default=True, help="The PDF's language.")
@click.option("--title", default=None, help="Title (default: the report's name in the language).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the PDF.")
@with_appcontext
def report(period_start, period_end, language, title, out):
    """Write the report on the published cooperation projects of a period as a PDF file (nothing is stored)."""
    if period_end < period_start:
        raise click.BadParameter("the period ends before it starts", param_hint="--to")
    with force_locale(language):
        shown = figures(period_start.date(), period_end.date(), language)
        pdf = render_report(title or _("Report to member cities and agencies"), "", shown, utcnow())
    out.write_bytes(pdf)
    click.echo(f"{out}: {shown.total} projects, {len(pdf)} bytes.")
