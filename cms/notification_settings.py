"""The page where a person chooses how each kind of notification reaches them (shared by the admin and the site)."""

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.mail import preferences
from cms.operations import mail as mail_operations
from cms.operations import refuse_unless
from content_types.refusals import NotAllowed, Refused

# A form field per kind: "kind_<name>" with "immediately" or "digest".
PREFIX = "kind_"


class SettingsForm(FlaskForm):
    """The settings form's CSRF token (the choices are read per kind from the posted fields)."""


def settings_page(render, done_url: str):
    """Answer the settings page: GET shows it, POST saves and 303s to `done_url`; `render(**values)` draws it.

    A refused save shows the page again with the message and the refusal's
    status, the person's stored choices unchanged.
    """
    refuse_unless(mail_operations.may_choose_notifications(current_user), current_user, None, "choose_notifications")
    form = SettingsForm()
    status = 200
    if request.method == "POST":
        # The CSRF token was checked by CSRFProtect before this view ran.
        try:
            choices = {name[len(PREFIX) :]: value for name, value in request.form.items() if name.startswith(PREFIX)}
            mail_operations.save_notification_choices(current_user, choices)
        except NotAllowed:
            raise
        except Refused as refusal:
            flash(refusal.message, "error")
            status = refusal.status
        else:
            flash(_("Your notification settings were saved."), "success")
            return redirect(done_url, 303)
    return render(form=form, **settings_values(current_user)), status


def settings_values(user) -> dict:
    """Return what the settings page lists: each choosable kind with the user's choice, and the mandatory kinds."""
    return {
        "choosable": [(kind, preferences.choice_of(user, kind.name)) for kind in preferences.choosable_kinds()],
        "mandatory": preferences.mandatory_kinds(),
        "choices": preferences.CHOICES,
        "prefix": PREFIX,
    }
