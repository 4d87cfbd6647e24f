"""The outbox in the admin: every mail the CMS wrote, filtered, read as it will look, and resent when it failed.

A message's HTML is our own rendering but holds user text (titles,
comments), so it is never put into an admin page: it is served alone by its
own address with a CSP that sandboxes it (no script, no loads, no forms, an
origin of its own) and shown in an <iframe sandbox> on the message's page.
"""

from bson import ObjectId
from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.mongoengine.filters import FilterEqual
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from cms.admin.base import SecureModelView, StaffView
from cms.mail import kinds
from cms.mail.preferences import DIGEST_KIND
from cms.notification_settings import settings_page
from cms.operations import mail as mail_operations
from content_types import LANGUAGE_NAMES, OutboxMessage
from content_types.base import LANGUAGES
from content_types.refusals import NotFound
from workflows.permissions import MANAGE_MAIL

STATUS_TITLES = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "unconfirmed": _l("Unconfirmed"),
    "for_digest": _l("Held for the daily digest"),
    "digesting": _l("Being put into a digest"),
    "digested": _l("Sent in a daily digest"),
}
# What a sandboxed mail may do: show itself with its own inline styles and nothing else — no script, no
# request to anywhere (so no style can send data out either), no form, no navigating the admin page.
SANDBOX_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def kind_title(name: str) -> str:
    """Return the title of the mail kind `name` in the reader's language (its name if no longer registered)."""
    kind = kinds.KINDS.get(name)
    return str(kind.title) if kind else name


class RecipientFilter(FilterEqual):
    """Filter by recipient address (stored lower-case, so typed in any case)."""

    def clean(self, value):
        """Compare as stored: trimmed and lower-case."""
        return value.strip().lower()


class ResendForm(FlaskForm):
    """The resend button (its CSRF token)."""


def sandboxed(html: str):
    """Return `html` as a response that a browser shows without running or loading anything."""
    response = make_response(html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = SANDBOX_CSP
    # Framed by our own admin page only (the site's default is to refuse every frame).
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _subject_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for(".message_view", id=str(model.pk)), model.subject)


class OutboxView(SecureModelView):
    """Every message the CMS wrote, newest first, for admins: filter, read, preview, resend."""

    permission = MANAGE_MAIL
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["created", "status", "kind", "recipient", "language", "subject", "attempts"]
    column_labels = {
        "created": _l("Written"),
        "status": _l("Status"),
        "kind": _l("Kind"),
        "recipient": _l("Recipient"),
        "language": _l("Language"),
        "subject": _l("Subject"),
        "attempts": _l("Attempts"),
    }
    column_filters = [
        FilterEqual("status", _l("Status"), options=list(STATUS_TITLES.items())),
        FilterEqual("kind", _l("Kind"), options=lambda: [(name, kind.title) for name, kind in kinds.KINDS.items()]),
        RecipientFilter("recipient", _l("Recipient")),
    ]
    column_searchable_list = ["recipient", "subject"]
    column_sortable_list = ["created", "status", "kind", "recipient"]
    column_default_sort = ("created", True)
    column_formatters = {
        "status": lambda view, context, model, name: str(STATUS_TITLES.get(model.status, model.status)),
        "kind": lambda view, context, model, name: kind_title(model.kind),
        "language": lambda view, context, model, name: str(LANGUAGE_NAMES.get(model.language, model.language)),
        "subject": _subject_link,
    }
    list_template = "admin/outbox/list.html"

    def get_query(self):
        """List without the bodies: a page of subjects does not need every message's text and HTML."""
        return super().get_query().exclude("text", "html")

    def load_message(self, message_id) -> OutboxMessage:
        """Return the message `message_id`, else NotFound."""
        message = OutboxMessage.objects(pk=message_id).first() if ObjectId.is_valid(message_id or "") else None
        if message is None:
            raise NotFound(_("There is no such mail."))
        g.outbox_message = message
        return message

    def refusal_page(self, refusal):
        """Show the message a refusal concerns (reloaded) with the reason; else the list."""
        message = g.pop("outbox_message", None)
        reloaded = OutboxMessage.objects(pk=message.pk).first() if message is not None else None
        if reloaded is None:
            return super().refusal_page(refusal) if refusal.status != 404 else self.render("admin/refused.html")
        return self._message_page(reloaded)

    @expose("/message/")
    def message_view(self):
        """Show one message: to whom, in which language, its text, attachments, attempts and HTML as it looks."""
        return self._message_page(self.load_message(request.args.get("id")))

    def _message_page(self, message):
        # The digest that lists it (written to the same person, under the key outbox.put gives it).
        listed_in = OutboxMessage.objects(key=f"{DIGEST_KIND}:{message.digest_key}:{message.recipient}")
        return self.render(
            "admin/outbox/message.html",
            message=message,
            status_title=STATUS_TITLES.get(message.status, message.status),
            kind_title=kind_title(message.kind),
            language_name=LANGUAGE_NAMES.get(message.language, message.language),
            may_resend=mail_operations.may_resend(current_user, message),
            resend_form=ResendForm(formdata=None),
            digest=listed_in.only("id").first() if message.digest_key else None,
            html_url=url_for(".message_html", id=str(message.pk)),
        )

    @expose("/message/html")
    def message_html(self):
        """Serve a message's HTML alone, sandboxed (for the frame on its page)."""
        return sandboxed(self.load_message(request.args.get("id")).html or "")

    @expose("/resend/", methods=("POST",))
    def resend_view(self):
        """Put a failed or unconfirmed message back in line for sending; 303 to its page."""
        message = self.load_message(request.form.get("id"))
        mail_operations.resend_message(current_user, message)
        flash(_("The mail is in line to be sent again."), "success")
        return redirect(url_for(".message_view", id=str(message.pk)), 303)

    @expose("/previews/")
    def previews_view(self):
        """List every kind of mail with a preview in each language."""
        return self.render(
            "admin/outbox/previews.html",
            kinds=list(kinds.KINDS.values()),
            preview_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        )

    @expose("/preview/")
    def preview_view(self):
        """Show a kind of mail rendered with its sample data in one language."""
        name, language = self._preview_arguments()
        return self.render(
            "admin/outbox/preview.html",
            kind=kinds.KINDS[name],
            language=language,
            language_name=LANGUAGE_NAMES[language],
            preview_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            rendered=kinds.preview(name, language),
            html_url=url_for(".preview_html", kind=name, language=language),
        )

    @expose("/preview/html")
    def preview_html(self):
        """Serve a kind's sample HTML alone, sandboxed (for the frame on the preview page)."""
        name, language = self._preview_arguments()
        return sandboxed(kinds.preview(name, language).html)

    def _preview_arguments(self) -> tuple[str, str]:
        name, language = request.args.get("kind", ""), request.args.get("language", "")
        if name not in kinds.KINDS or language not in LANGUAGES:
            abort(404)
        return name, language


class NotificationSettingsView(StaffView):
    """The staff's notification settings (the admin's way to the same page the member area has)."""

    def is_visible(self) -> bool:
        """Not a menu entry: reached from the user's name in the navbar."""
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        """Choose, per kind of notification, immediately or in the daily digest."""
        return settings_page(
            lambda **values: self.render("admin/notification_settings.html", **values),
            url_for(".index"),
        )
