"""Exports of the company database (CSV, XLSX), the periodic report's figures and PDF, the dashboard's charts.

- filters.py    the caller's filters, checked and turned into a query (400 for a bad one)
- sheets.py     the rows and columns of an export, in the caller's language, for what the caller may view
- writers.py    CSV and XLSX files (write-only XLSX, cells guarded against formula injection)
- views.py      the member area's download routes (the API's are in cms/api/exports.py)
- statistics.py the projects of a period counted by stage, sector, city pair and quarter
- charts.py     those counts as SVG charts for the staff dashboard
- report_pdf.py those counts as the report's PDF (reportlab)
"""


def init_app(app) -> None:
    """Register the member area's export routes."""
    from cms.exports import views

    views.init_app(app)
