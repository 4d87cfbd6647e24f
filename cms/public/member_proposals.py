"""The member area's proposals page: a member city's representative sends proposals and follows their own."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cms.i18n import current_language
from cms.operations import proposals, refuse_unless
from content_types.base import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from content_types.proposal import PROPOSAL_KIND_TITLES
from content_types.validation import Invalid
from workflows import state_title


class ProposalForm(FlaskForm):
    """What is proposed: its kind, a title and a description."""

    kind = SelectField(_l("What you propose"), choices=list(PROPOSAL_KIND_TITLES.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX_LENGTH)])
    body = TextAreaField(_l("Description"), validators=[Length(max=BODY_MAX_LENGTH)])


def proposals_page(lang=None):
    """List the representative's own proposals and send a new one (403 without member rights)."""
    refuse_unless(proposals.may_propose(current_user), current_user, None, "propose")
    form = ProposalForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                proposals.send_proposal(
                    current_user, form.kind.data, form.title.data, form.body.data, current_language()
                )
            except Invalid as invalid:
                flash(invalid.message, "error")
                status = 422
            else:
                flash(_("Your proposal was sent to the secretariat."), "success")
                return redirect(url_for("public.proposals"), 303)
        else:
            status = 400 if "csrf_token" in form.errors else 422
    return render_template(
        "public/proposals.html",
        form=form,
        sent=[(item, state_title(item.type_name, item.state)) for item in proposals.visible_proposals(current_user)],
        kinds=PROPOSAL_KIND_TITLES,
    ), status
