"""How each person reads each kind of mail: immediately (the default) or in one daily digest.

Mandatory kinds (the alliance's formal messages: circulars, consultations,
reminders, meeting announcements) always go out at once; the digest itself
is never held for a digest.
"""

from flask_babel import lazy_gettext as _l

from cms.mail.kinds import KINDS, Kind

IMMEDIATELY = "immediately"
DIGEST = "digest"
CHOICES = {IMMEDIATELY: _l("Immediately"), DIGEST: _l("In a daily digest")}
# The kind of the daily digest mail (registered in cms.mail.kinds).
DIGEST_KIND = "digest"


def choosable_kinds() -> list[Kind]:
    """Return the kinds a person may choose to read in the digest, in the registry's order."""
    return [kind for kind in KINDS.values() if not kind.mandatory and kind.to_accounts and kind.name != DIGEST_KIND]


def mandatory_kinds() -> list[Kind]:
    """Return the kinds that always go out at once."""
    return [kind for kind in KINDS.values() if kind.mandatory]


def is_choosable(name: str) -> bool:
    """Whether the kind `name` exists and may be read in the digest."""
    kind = KINDS.get(name)
    return kind is not None and not kind.mandatory and name != DIGEST_KIND


def choice_of(user, name: str) -> str:
    """Return how `user` reads mail of kind `name`: IMMEDIATELY or DIGEST."""
    digest_kinds = getattr(user, "digest_kinds", None) or ()
    return DIGEST if is_choosable(name) and name in digest_kinds else IMMEDIATELY


def holds_for_digest(user, name: str) -> bool:
    """Whether a message of kind `name` for `user` waits for their daily digest."""
    return user is not None and choice_of(user, name) == DIGEST
