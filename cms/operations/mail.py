"""What people do with mail: admins resend a message that failed, everyone chooses how notifications reach them."""

from flask_babel import gettext as _

from cms import audit
from cms.mail import outbox, preferences
from cms.mail.kinds import KINDS
from cms.operations import refuse_unless
from cms.security import can
from content_types import OutboxMessage, User
from content_types.refusals import BadRequest, Conflict, NotPossible
from workflows.permissions import CHOOSE_NOTIFICATIONS, MANAGE_MAIL

# The messages an admin may put back in line: given up, or perhaps not handed over.
RESENDABLE = ("failed", "unconfirmed")


def may_resend(user, message: OutboxMessage) -> bool:
    """Whether `user` may put `message` back in line for sending now."""
    return can(user, MANAGE_MAIL) and message.status in RESENDABLE


def resend_message(user, message: OutboxMessage) -> None:
    """Put a failed or unconfirmed `message` back in line for sending (audited); refuse anything else."""
    refuse_unless(can(user, MANAGE_MAIL), user, None, "resend_mail")
    if message.status not in RESENDABLE:
        raise NotPossible(_("Only a mail that failed or is unconfirmed can be sent again."))
    if not outbox.resend(message, user):
        # Another admin (or tab) resent it between loading the page and this request.
        raise Conflict(_("This mail was changed meanwhile; nothing was done."))


def may_choose_notifications(user) -> bool:
    """Whether `user` may choose how their notifications reach them."""
    return can(user, CHOOSE_NOTIFICATIONS)


def save_notification_choices(user, choices: dict[str, str]) -> list[str]:
    """Store how `user` reads each kind named in `choices`; return the kinds they now read in the digest.

    Kinds not named keep their choice. A mandatory kind can't be put in the
    digest (422); an unknown kind or choice is a bad request (400). Messages
    held for a kind now read immediately are put in line for sending at once.
    """
    refuse_unless(may_choose_notifications(user), user, None, "choose_notifications")
    for name, choice in choices.items():
        if not isinstance(choice, str) or choice not in preferences.CHOICES or name not in KINDS:
            raise BadRequest(_("There is no such kind of notification or choice."), {"kind": name})
        if choice == preferences.DIGEST and not preferences.is_choosable(name):
            raise NotPossible(_("%(kind)s is always sent at once.", kind=KINDS[name].title), {"kind": name})
    before = set(user.digest_kinds or ())
    after = {name for name in before if preferences.is_choosable(name)}
    for name, choice in choices.items():
        if choice == preferences.DIGEST:
            after.add(name)
        else:
            after.discard(name)
    digest_kinds = sorted(after)
    User.objects(pk=user.pk).update_one(set__digest_kinds=digest_kinds)
    user.digest_kinds = digest_kinds
    outbox.release_held(user, before - after)
    if after != before:
        audit.record("update", user, None, "notification_choices_saved", digest=digest_kinds)
    return digest_kinds
