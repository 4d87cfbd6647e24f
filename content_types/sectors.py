"""The economic sectors a company is filed under: NACE Rev. 2 (the EU's classification, ISIC-aligned).

The alliance's companies are mostly industrial, so manufacturing is listed by
division and the automotive division by group (suppliers apart from carmakers);
the other sections stand as a whole. A code's section is its letter, its
division the letter and two digits ("C29"), its group one digit more ("C29.3").
"""

from flask_babel import lazy_gettext as _l

SECTORS = {
    "A": _l("Agriculture, forestry and fishing"),
    "B": _l("Mining and quarrying"),
    "C10": _l("Food products"),
    "C11": _l("Beverages"),
    "C13": _l("Textiles"),
    "C16": _l("Wood and wood products"),
    "C17": _l("Paper and paper products"),
    "C19": _l("Coke and refined petroleum products"),
    "C20": _l("Chemicals and chemical products"),
    "C21": _l("Pharmaceutical products"),
    "C22": _l("Rubber and plastic products"),
    "C23": _l("Glass, ceramics and other mineral products"),
    "C24": _l("Basic metals"),
    "C25": _l("Fabricated metal products"),
    "C26": _l("Computer, electronic and optical products"),
    "C27": _l("Electrical equipment"),
    "C28": _l("Machinery and equipment"),
    "C29.1": _l("Motor vehicles"),
    "C29.2": _l("Bodies, trailers and semi-trailers"),
    "C29.3": _l("Parts and accessories for motor vehicles (automotive suppliers)"),
    "C30": _l("Other transport equipment"),
    "C31": _l("Furniture"),
    "C32": _l("Other manufacturing (incl. medical instruments)"),
    "C33": _l("Repair and installation of machinery"),
    "D": _l("Electricity, gas and steam supply"),
    "E": _l("Water supply, waste management and remediation"),
    "F": _l("Construction"),
    "G": _l("Wholesale and retail trade"),
    "H": _l("Transportation and logistics"),
    "I": _l("Accommodation and food services"),
    "J": _l("Information and communication"),
    "K": _l("Financial and insurance services"),
    "L": _l("Real estate"),
    "M": _l("Professional, scientific and technical services"),
    "N": _l("Administrative and support services"),
    "P": _l("Education"),
    "Q": _l("Human health and social work"),
    "R": _l("Arts, entertainment and recreation"),
    "S": _l("Other services"),
}
SECTOR_CODES = tuple(SECTORS)


def sector_title(code: str | None) -> str:
    """Return the sector's title in the current language, with its code ("C28 Machinery and equipment")."""
    if code not in SECTORS:
        return code or ""
    return f"{code} {SECTORS[code]}"


def division(code: str) -> str:
    """Return the NACE division of `code` ("C29.3" → "C29"; a section stands for itself)."""
    return code.split(".", 1)[0]


def section(code: str) -> str:
    """Return the NACE section (its letter) of `code`."""
    return code[:1]
