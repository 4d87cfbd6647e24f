"""A member city's representative files the city's written withdrawal request (seed V) from the member area.

The request goes through the same operation as `POST /api/v1/content`
(cms.operations.content.create_item): the same permission (a representative
for their own city only), validation, refusal of a second open request and
audit entry. The city is always the representative's own, never an input.
"""

from flask_babel import gettext as _

from cms.operations import attachments, content, refuse_unless
from cms.security import permitted_query
from content_types.base import utcnow
from content_types.leaving import Withdrawal
from workflows.permissions import VIEW


def may_file_withdrawal(user) -> bool:
    """Whether `user` may file a withdrawal for their own city (a representative of a member city)."""
    return getattr(user, "city_id", None) is not None and content.may_create(user, Withdrawal.type_name)


def file_withdrawal(user, statement: str, letter, limit: int, language: str) -> Withdrawal:
    """File `user`'s own city's withdrawal with its statement and optionally the signed letter (a FileStorage).

    Raises NotAllowed, the upload's refusals (checked before anything is
    stored), Invalid, or Conflict when the city's request is open already.
    """
    refuse_unless(may_file_withdrawal(user), user, None, "create", type_name=Withdrawal.type_name)
    checked = attachments.check_upload(letter, limit) if letter is not None else None
    city = user.city
    item = content.new_item(user, Withdrawal.type_name)
    item.city = city
    item.language = language
    item.title = _("Withdrawal of %(city)s", city=city.name(language))
    item.body = statement or ""
    # The statement is the letter, written today.
    item.requested_on = utcnow().date()
    content.create_item(user, item)
    if checked is not None:
        attachments.store_checked(user, item, checked)
    return item


def visible_withdrawals(user):
    """Return the withdrawals of `user`'s city that `user` may see, newest first."""
    query = permitted_query(user, VIEW, [Withdrawal.type_name])
    return Withdrawal.objects(__raw__=query).filter(city=user.city_id).order_by("-created")
