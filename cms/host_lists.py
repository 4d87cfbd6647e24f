"""The lists for the host as a CSV file: one row per delegate, safe to open in a spreadsheet."""

import csv
import io

from flask_babel import gettext as _

from content_types.event import DELEGATE_FUNCTION_TITLES

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"); tab and carriage
# return start one too in some programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Return `value` as a CSV cell a spreadsheet shows as text: a leading ' before a formula's first character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(listing: dict, language: str) -> str:
    """Return the host list (cms.operations.events.host_list) as CSV text, with a byte-order mark for spreadsheets."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("City"), _("Name"), _("Function"), _("Position")])
    for city, delegation in listing["rows"]:
        for delegate in delegation.members:
            writer.writerow(
                [
                    cell(city.name(language)),
                    cell(delegate.name),
                    cell(DELEGATE_FUNCTION_TITLES.get(delegate.function, delegate.function)),
                    cell(delegate.position),
                ]
            )
    return out.getvalue()
