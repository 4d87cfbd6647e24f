"""The password policy every path that sets a password applies (CLI, admin, API)."""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from content_types.validation import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn's scale: 3 is "safely unguessable" for an online attack (~10^8 guesses).
MIN_SCORE = 3


class WeakPassword(Invalid):
    """The password does not meet the policy; the message says why, translated."""

    def __init__(self, message):
        super().__init__({"password": message}, message)


def check_password_strength(password, email: str = "", name: str = "") -> None:
    """Raise WeakPassword unless `password` is long and hard enough to guess."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPassword(_("The password must have at least %(count)d characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise WeakPassword(_("The password must have at most %(count)d characters.", count=MAX_LENGTH))
    hints = [part for part in (email, email.split("@")[0] if email else "", name) if part]
    result = zxcvbn(password, user_inputs=hints)
    if result["score"] < MIN_SCORE:
        raise WeakPassword(_("The password is too easy to guess: use a longer phrase or more varied characters."))
