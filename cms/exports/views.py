"""The member area's downloads: /<language>/members/companies/export.xlsx|.csv and …/projects/export.xlsx|.csv.

The query string carries the filters (the company finder links here with its
own); what is exported is what the logged-in viewer may view. The API offers
the same files (cms/api/exports.py).
"""

from flask import Blueprint, Response, request
from flask_login import current_user, login_required

from cms.exports import sheets, writers
from cms.i18n import prefix_with_language
from content_types import LANGUAGES
from content_types.base import utcnow

FORMATS = ("csv", "xlsx")
blueprint = Blueprint("exports", __name__, url_prefix=f"/<any({','.join(LANGUAGES)}):lang>/members")


# Headers and titles are in the URL's language.
prefix_with_language(blueprint)


def download(sheet: sheets.Sheet, kind: str) -> Response:
    """Return `sheet` as a CSV or XLSX download (streamed from the rows or from the written file)."""
    name = f"{sheet.file_stem}-{utcnow():%Y-%m-%d}.{kind}"
    if kind == "csv":
        response = Response(writers.csv_chunks(sheet.header, sheet.rows), content_type=writers.CSV_TYPE)
    else:
        written = writers.write_xlsx(sheet.header, sheet.rows, sheet.title, sheet.widths)
        size = written.seek(0, 2)
        written.seek(0)
        response = Response(writers.file_chunks(written), content_type=writers.XLSX_TYPE)
        response.content_length = size
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # Each caller's own selection, with contacts for some: no shared cache keeps it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def arguments() -> dict[str, list[str]]:
    """Return the query string as {name: [values]} (filters may repeat)."""
    return request.args.to_dict(flat=False)


@blueprint.get(f"/companies/export.<any({','.join(FORMATS)}):kind>")
@login_required
def companies(kind):
    """Download the companies the viewer may see, chosen by the query string's filters."""
    return download(sheets.company_sheet(current_user, arguments()), kind)


@blueprint.get(f"/projects/export.<any({','.join(FORMATS)}):kind>")
@login_required
def projects(kind):
    """Download the cooperation projects the viewer may see, chosen by the query string's filters."""
    return download(sheets.project_sheet(current_user, arguments()), kind)


def init_app(app) -> None:
    """Register the member area's download routes."""
    app.register_blueprint(blueprint)
