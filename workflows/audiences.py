"""Whom a transition may tell (its definition's `notifies`); cms.mail.notifications writes their mail."""

from flask_babel import lazy_gettext as _l

AUDIENCES = {
    "next": _l("whoever can take the next step"),
    "owner": _l("the item's owner"),
    "consulted": _l("the contact persons of the consulted cities"),
    "decided": _l("the secretariat and the applicant"),
    "members": _l("the contact persons of every member city"),
}
