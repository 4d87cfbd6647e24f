"""The newsletter's public pages: subscribing, confirming by the mailed link, and unsubscribing with one click.

Links from mail open a page with one button (mail scanners follow GETs; a
GET never changes anything). The unsubscribe link also takes a POST without
a session or CSRF token (RFC 8058 one-click: the signature is the proof).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from cms import listing
from cms.i18n import current_language
from cms.operations import subscriptions
from cms.public import blueprint
from content_types import Newsletter
from content_types.refusals import Refused, TooMany


class SubscribeForm(FlaskForm):
    """The address to send the newsletter to (the language is the page's)."""

    email = EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            Length(max=254),
            Email(_l("Please enter a valid e-mail address, like name@example.org.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """The confirmation page's one button (a CSRF-checked POST)."""


@blueprint.route("/newsletter", methods=("GET", "POST"))
def newsletter():
    """The newsletter's page: its published issues and the subscription form (same answer for every address)."""
    form = SubscribeForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                subscriptions.subscribe(form.email.data, current_language(), request.remote_addr or "")
            except TooMany as refusal:
                flash(str(refusal), "error")
                return render_template(
                    "public/newsletter.html",
                    form=form,
                    issues=_issues(),
                ), refusal.status
            # Whether the address was new, pending, confirmed or unsubscribed: the same words.
            flash(
                _(
                    "Thank you. Unless this address already receives the newsletter, we have sent it a message "
                    "with a link: please open it to confirm your subscription."
                ),
                "success",
            )
            return redirect(url_for("public.newsletter"), 303)
        status = 400 if "csrf_token" in form.errors else 422
    return render_template("public/newsletter.html", form=form, issues=_issues()), status


def _issues() -> list:
    issues = listing.released(current_user, [Newsletter.type_name]).order_by("-published_at")
    return listing.one_per_group(issues[:100], current_language())


@blueprint.route("/newsletter/confirm/<token>", methods=("GET", "POST"))
def newsletter_confirm(token):
    """GET: the page with the button that confirms; POST: confirm. A link that is not genuine is a 400."""
    form = ConfirmForm()
    try:
        if request.method == "POST":
            if not form.validate_on_submit():
                return _link_page("error", _("The form has expired. Please open the link from the mail again.")), 400
            subscriptions.confirm(token)
            return _link_page("confirmed")
        subscriber = subscriptions.subscriber_to_confirm(token)
    except Refused as refusal:
        return _link_page("error", refusal.message), refusal.status
    if subscriber.status == "confirmed":
        return _link_page("confirmed")
    return _link_page("confirm", form=form, action=url_for("public.newsletter_confirm", token=token))


@blueprint.route("/newsletter/unsubscribe/<token>", methods=("GET", "POST"))
def newsletter_unsubscribe(token):
    """GET: the page with the one button; POST (from it or a mail program, no session needed): unsubscribe."""
    try:
        if request.method == "POST":
            subscriptions.unsubscribe(token)
            return _link_page("unsubscribed")
        subscriber = subscriptions.subscriber_to_unsubscribe(token)
    except Refused as refusal:
        return _link_page("error", refusal.message), refusal.status
    if subscriber is None or subscriber.status == "unsubscribed":
        return _link_page("unsubscribed")
    return _link_page("unsubscribe", action=url_for("public.newsletter_unsubscribe", token=token))


def _link_page(step: str, message: str = "", form=None, action: str = ""):
    return render_template("public/newsletter_link.html", step=step, message=message, form=form, action=action)


def init_app(app) -> None:
    """Let mail programs unsubscribe with one click: the signed link is the proof, there is no session to protect."""
    app.extensions["csrf"].exempt(newsletter_unsubscribe)
