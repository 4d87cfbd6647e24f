"""The member area's withdrawal page: a member city's representative files the city's written withdrawal request."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from cms.i18n import current_language
from cms.operations import refuse_unless, withdrawals
from content_types.leaving import STATEMENT_MAX_LENGTH, Withdrawal
from content_types.refusals import Conflict, NotAllowed, Refused
from content_types.validation import Invalid
from workflows import state_title


class WithdrawalForm(FlaskForm):
    """The statement (the letter's text) and optionally the signed letter; the city is the representative's own."""

    statement = TextAreaField(
        _l("Your city's statement"), validators=[DataRequired(), Length(max=STATEMENT_MAX_LENGTH)]
    )
    # Its type is checked from the bytes by the attachment upload (cms.operations.attachments), not by its name.
    letter = FileField(_l("Signed letter (optional: PDF, DOCX, ODT, PNG or JPEG)"))


def withdrawal_page(lang=None):
    """List the city's withdrawal requests and file one (403 without a member city's representative's rights)."""
    refuse_unless(withdrawals.may_file_withdrawal(current_user), current_user, None, "create", type_name="withdrawal")
    form = WithdrawalForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                withdrawals.file_withdrawal(
                    current_user,
                    form.statement.data,
                    form.letter.data or None,
                    current_app.config["CMS_MAX_UPLOAD_BYTES"],
                    current_language(),
                )
            except Conflict as conflict:
                # What was typed stays in the form.
                flash(conflict.message, "error")
                status = conflict.status
            except Invalid as invalid:
                for name, reason in invalid.details.items() or [("", invalid.message)]:
                    if name == "body":
                        form.statement.errors = [*form.statement.errors, reason]
                    else:
                        flash(reason, "error")
                status = invalid.status
            except NotAllowed:
                raise
            except Refused as refusal:
                # The letter's refusals (wrong type, too large, empty): nothing was stored.
                form.letter.errors = [refusal.message]
                status = refusal.status
            else:
                flash(_("Your city's withdrawal request was sent to the secretariat."), "success")
                return redirect(url_for("public.withdrawal"), 303)
        else:
            status = 400 if "csrf_token" in form.errors else 422
    return render_template(
        "public/withdrawal.html",
        form=form,
        city=current_user.city,
        filed=[
            (item, state_title(Withdrawal.type_name, item.state))
            for item in withdrawals.visible_withdrawals(current_user)
        ],
        statement_max=STATEMENT_MAX_LENGTH,
        language=current_language(),
    ), status
