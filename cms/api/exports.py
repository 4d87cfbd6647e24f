"""Exports through the API: the companies and cooperation projects the caller may view, as CSV or XLSX.

GET /api/v1/exports/companies.xlsx (or .csv) and /api/v1/exports/projects.xlsx
(or .csv), with the same filters as the member area's downloads; anonymous
callers get what the public may see, contacts go to members and staff only.
"""

from cms.api import blueprint
from cms.auth import token_user
from cms.exports import sheets
from cms.exports.views import arguments, download


@blueprint.get("/exports/companies.csv")
def export_companies_csv():
    """Companies the caller may view, as CSV (UTF-8), by the filters q, country, city, sector, interests, size."""
    return download(sheets.company_sheet(token_user(), arguments()), "csv")


@blueprint.get("/exports/companies.xlsx")
def export_companies_xlsx():
    """Companies the caller may view, as XLSX, chosen by the filters q, country, city, sector, interests, size."""
    return download(sheets.company_sheet(token_user(), arguments()), "xlsx")


@blueprint.get("/exports/projects.csv")
def export_projects_csv():
    """Cooperation projects the caller may view, as CSV (UTF-8), by the filters q, stage, cooperation, city, year."""
    return download(sheets.project_sheet(token_user(), arguments()), "csv")


@blueprint.get("/exports/projects.xlsx")
def export_projects_xlsx():
    """Cooperation projects the caller may view, as XLSX, chosen by the filters q, stage, cooperation, city, year."""
    return download(sheets.project_sheet(token_user(), arguments()), "xlsx")


# Streamed files, each caller's own: not kept in the API's answer cache (cms.api.answer_from_cache).
EXPORTS = ("export_companies_csv", "export_companies_xlsx", "export_projects_csv", "export_projects_xlsx")
