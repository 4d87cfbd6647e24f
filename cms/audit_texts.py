"""How the audit log reads: each entry's action and facts worded at read time, in the reader's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cms.labels import ACCOUNT_LABELS
from cms.mail.kinds import KINDS
from content_types import LANGUAGE_NAMES
from content_types.city import CITY_STATUS_TITLES, PROFILE_TITLES
from content_types.membership import DECISION_TITLES
from content_types.proposal import PROPOSAL_KIND_TITLES
from workflows import state_title, transition_title
from workflows.permissions import ROLE_TITLES
from workflows.types import TYPES

ACTION_TITLES = {
    "login": _l("Logged in"),
    "login_failed": _l("Login failed"),
    "logout": _l("Logged out"),
    "permission_denied": _l("Refused"),
    "transition": _l("Workflow step"),
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "share": _l("Shared"),
}

# What a refused user tried, by the code the operations pass to refuse_unless.
ATTEMPTS = {
    "apply": _l("send a membership application"),
    "attach": _l("add an attachment"),
    "carry_attachments": _l("take attachments into a translation"),
    "check_out": _l("check out a working copy"),
    "confirm_source": _l("mark a translation as following its source"),
    "correct_city_status": _l("correct a city's status"),
    "decide": _l("record a city's decision on a membership application"),
    "remind": _l("remind the cities whose decision is missing"),
    "record_declaration": _l("record the signed declaration"),
    "notify": _l("send the formal notification"),
    "create": _l("add an item"),
    "create_account": _l("create an account"),
    "delete": _l("delete the item"),
    "delete_account": _l("delete an account"),
    "edit_city": _l("change a city's contacts and profile"),
    "group_transition": _l("take a step for a whole translation group"),
    "lock": _l("take over the edit lock"),
    "manage_cities": _l("manage member cities"),
    "manage_users": _l("manage accounts"),
    "modify": _l("change the item"),
    "propose": _l("send a proposal"),
    "remove_attachment": _l("remove an attachment"),
    "resend_mail": _l("send a mail again"),
    "choose_notifications": _l("choose how notifications reach them"),
    "replace_attachment": _l("replace an attachment"),
    "restore": _l("restore a revision"),
    "schedule": _l("schedule a step"),
    "share": _l("share the item"),
    "share_roles_not_held": _l("share roles they do not hold"),
    "translate": _l("translate the item"),
    "update_account": _l("change an account"),
}


def action_title(action: str) -> str:
    """Return the audit action's name in the reader's language."""
    return str(ACTION_TITLES.get(action, action))


def describe(entry) -> str:
    """Return what the entry records, worded now; entries from before events existed keep their stored text."""
    if not entry.event:
        return entry.detail
    wording = _EVENTS.get(entry.event)
    return wording(entry, entry.facts or {}) if wording else entry.event


def _transition(entry, facts) -> str:
    type_name = entry.item_type
    text = _(
        "%(step)s: %(before)s → %(after)s",
        step=transition_title(type_name, facts.get("step", "")) if type_name in TYPES else facts.get("step", ""),
        before=_state(type_name, facts.get("state_before", "")),
        after=_state(type_name, facts.get("state_after", "")),
    )
    return _("%(text)s (comment: %(comment)s)", text=text, comment=facts["comment"]) if facts.get("comment") else text


def _state(type_name: str, state: str) -> str:
    return str(state_title(type_name, state)) if type_name in TYPES and state else state


def _refused(entry, facts) -> str:
    what = facts.get("what", "")
    if what == "transition":
        step = facts.get("step", "")
        title = transition_title(entry.item_type, step) if entry.item_type in TYPES else step
        return _("Tried to take the step “%(step)s”", step=title)
    attempt = _("Tried to %(what)s", what=ATTEMPTS[what]) if what in ATTEMPTS else what
    if facts.get("type_name") in TYPES:
        return _("%(attempt)s (%(type)s)", attempt=attempt, type=TYPES[facts["type_name"]].title)
    return attempt


def _account_saved(entry, facts) -> str:
    fields = ", ".join(str(ACCOUNT_LABELS.get(name, name)) for name in facts.get("fields", ()))
    if entry.action == "create":
        return _("Account %(account)s created", account=facts.get("account", ""))
    return _("Account %(account)s: changed %(fields)s", account=facts.get("account", ""), fields=fields or "–")


def _shared(entry, facts) -> str:
    roles = ", ".join(str(ROLE_TITLES.get(role, role)) for role in facts.get("roles", ()))
    if not roles:
        return _("Sharing with %(account)s ended", account=facts.get("account", ""))
    return _("Shared with %(account)s as %(roles)s", account=facts.get("account", ""), roles=roles)


def _city_status(entry, facts) -> str:
    return _(
        "%(city)s: status %(before)s → %(after)s (reason: %(reason)s)",
        city=facts.get("city", ""),
        before=CITY_STATUS_TITLES.get(facts.get("before"), facts.get("before", "")),
        after=CITY_STATUS_TITLES.get(facts.get("after"), facts.get("after", "")),
        reason=facts.get("reason", ""),
    )


# How a changed field of a city is named: its label, and for the profile the language written in.
CITY_FIELD_LABELS = {
    "contact_office": _l("Contact office"),
    "responsible_person": _l("Responsible person"),
    "contacts": _l("Contact persons"),
}


def _city_field(name: str) -> str:
    key, _sep, code = name.rpartition("_")
    if key in PROFILE_TITLES:
        return f"{PROFILE_TITLES[key]} ({LANGUAGE_NAMES.get(code, code)})"
    return str(CITY_FIELD_LABELS.get(name, name))


def _city_profile(entry, facts) -> str:
    fields = ", ".join(_city_field(name) for name in facts.get("fields", ())) or "–"
    return _("%(city)s: contacts and profile changed (%(fields)s)", city=facts.get("city", ""), fields=fields)


def _decision(entry, facts) -> str:
    decision = facts.get("decision", "")
    return _(
        "%(city)s: %(decision)s (%(comment)s)",
        city=facts.get("city", ""),
        decision=DECISION_TITLES.get(decision, decision),
        comment=facts.get("comment", ""),
    )


def _translation(entry, facts) -> str:
    language = facts.get("language", "")
    return _(
        "Translation of “%(source)s” into %(language)s",
        source=facts.get("source", ""),
        language=LANGUAGE_NAMES.get(language, language),
    )


_EVENTS = {
    "transition": _transition,
    "refused": _refused,
    "api_token": lambda entry, facts: _("API token issued"),
    "account_saved": _account_saved,
    "account_deleted": lambda entry, facts: _("Account %(account)s deleted", account=facts.get("account", "")),
    "item_created": lambda entry, facts: _("First revision"),
    "item_deleted": lambda entry, facts: _("Item deleted"),
    "revision_saved": lambda entry, facts: _("Revision %(number)s saved", number=facts.get("revision", "")),
    "working_copy_made": lambda entry, facts: _("Working copy of “%(source)s”", source=facts.get("source", "")),
    "working_copy_checked_in": lambda entry, facts: _("Working copy checked in"),
    "translation_made": _translation,
    "circular_made": lambda entry, facts: _(
        "Circular sending “%(source)s”, version %(version)s",
        source=facts.get("source", ""),
        version=facts.get("version", ""),
    ),
    "members_informed": lambda entry, facts: _(
        "Circular informing the member cities of “%(source)s”", source=facts.get("source", "")
    ),
    "shared": _shared,
    "lock_taken_over": lambda entry, facts: _("Took over the edit lock"),
    "attachment_added": lambda entry, facts: _("Attachment %(name)s added", name=facts.get("name", "")),
    "attachment_removed": lambda entry, facts: _(
        "Attachment %(name)s removed (revision %(revision)s)",
        name=facts.get("name", ""),
        revision=facts.get("revision", ""),
    ),
    "attachment_replaced": lambda entry, facts: _(
        "Attachment %(old)s replaced by %(new)s (revision %(revision)s)",
        old=facts.get("old", ""),
        new=facts.get("new", ""),
        revision=facts.get("revision", ""),
    ),
    "report_compiled": lambda entry, facts: _(
        "Report compiled as %(name)s from %(projects)s projects (revision %(revision)s)",
        name=facts.get("name", ""),
        projects=facts.get("projects", ""),
        revision=facts.get("revision", ""),
    ),
    "attachments_carried_over": lambda entry, facts: _(
        "Attachments taken from the source: %(names)s", names=", ".join(facts.get("names", ()))
    ),
    "city_saved": lambda entry, facts: _("City %(city)s saved", city=facts.get("city", "")),
    "city_deleted": lambda entry, facts: _("City %(city)s deleted", city=facts.get("city", "")),
    "city_status_corrected": _city_status,
    "city_profile_saved": _city_profile,
    "proposal_sent": lambda entry, facts: _(
        "Proposal sent: %(kind)s",
        kind=PROPOSAL_KIND_TITLES.get(facts.get("kind"), facts.get("kind", "")),
    ),
    "consent_recorded": _decision,
    "consent_reminder_sent": lambda entry, facts: _(
        "Reminder sent to: %(cities)s", cities=", ".join(facts.get("cities", ()))
    ),
    "mail_resent": lambda entry, facts: _(
        "Mail to %(recipient)s put back for sending: %(subject)s",
        recipient=facts.get("recipient", ""),
        subject=facts.get("subject", ""),
    ),
    "application_confirmed": lambda entry, facts: _(
        "Membership application confirmed by its contact %(email)s", email=entry.actor_email
    ),
    "city_named_by_applicant": lambda entry, facts: _(
        "City %(city)s added to the registry from a membership application (contact: %(email)s)",
        city=facts.get("city", ""),
        email=entry.actor_email,
    ),
    "notification_choices_saved": lambda entry, facts: _(
        "Notifications in the daily digest: %(kinds)s",
        kinds=", ".join(str(KINDS[name].title) if name in KINDS else name for name in facts.get("digest", ())) or "–",
    ),
    "decision_fell_away": lambda entry, facts: _(
        "The decision of %(city)s fell away (the city left the alliance)", city=facts.get("city", "")
    ),
}
