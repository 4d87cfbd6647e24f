"""Permission and role names as constants, and the site-wide permission map."""

from flask_babel import lazy_gettext as _l

# Permissions on a content item; which roles hold them depends on the item's state.
VIEW = "view"
MODIFY = "modify"
DELETE = "delete"
DOWNLOAD = "download"
# An item's past: its revisions, their differences, its workflow history (comments, who did what).
HISTORY = "view_history"
# Recording one's city's written decision on an item put to the member cities (a membership application).
DECIDE = "decide"
ITEM_PERMISSIONS = (VIEW, MODIFY, DELETE, DOWNLOAD, HISTORY, DECIDE)

# Permissions that do not depend on an item.
ACCESS_ADMIN = "access_admin"
ADD_CONTENT = "add_content"
MANAGE_USERS = "manage_users"
MANAGE_CITIES = "manage_cities"
VIEW_CONTACTS = "view_contacts"
VIEW_AUDIT_LOG = "view_audit_log"
# Taking over the edit lock someone else holds.
STEAL_LOCK = "steal_lock"
# Correcting a member city's status outside its processes (with a reason, audited).
CORRECT_CITY_STATUS = "correct_city_status"
# Reading the outbox (every mail the CMS writes, to anyone), previewing mail and resending failed mail.
MANAGE_MAIL = "manage_mail"
# Choosing, for oneself, which notifications come at once and which in the daily digest.
CHOOSE_NOTIFICATIONS = "choose_notifications"
# Sending the secretariat a proposal (a work plan topic, an event, a news item; seed III.3.1.a).
PROPOSE = "propose"
# Registering any member city's delegation at any time, and reading every event's delegations (the secretariat).
MANAGE_DELEGATIONS = "manage_delegations"
# Sending a membership application through the public form (confirmed by the applicant's e-mail, not an account).
APPLY_FOR_MEMBERSHIP = "apply_for_membership"

# Permissions on a member city (asked with the city as the object).
# Maintaining its contacts and profile: the secretariat, or the city's own representatives.
EDIT_CITY = "edit_city"
# Registering the city's delegation to an event (its own representatives, until the deadline; staff any time).
REGISTER_DELEGATION = "register_delegation"
# Reading the names in the city's delegations, and as a host city the lists of every delegation to its events.
VIEW_DELEGATES = "view_delegates"
CITY_PERMISSIONS = (EDIT_CITY, REGISTER_DELEGATION, VIEW_DELEGATES)
# Filing, for one's own city, an item of a type representatives file (a withdrawal request).
FILE_FOR_OWN_CITY = "file_for_own_city"
# Reminding the consulted member cities whose decision on an application is missing.
SEND_REMINDERS = "send_reminders"

# Site roles, granted per user.
ADMIN = "admin"
EDITOR = "editor"
REVIEWER = "reviewer"
APPROVER = "approver"
MEMBER = "member"
SITE_ROLES = (ADMIN, EDITOR, REVIEWER, APPROVER, MEMBER)

# Roles nobody is granted: they follow from who is asking.
OWNER = "owner"
ANONYMOUS = "anonymous"
AUTHENTICATED = "authenticated"
# Everyone, anonymous visitors included, on an item marked public.
PUBLIC = "public"

# Firing a transition is a permission too, asked through the same can().
_FIRE = "fire:"


def fire_permission(trigger: str) -> str:
    """Return the permission name for firing the transition `trigger`."""
    return _FIRE + trigger


def transition_of(permission: str) -> str | None:
    """Return the trigger a fire permission names, or None for other permissions."""
    return permission[len(_FIRE) :] if permission.startswith(_FIRE) else None


# Roles that may be granted on a single item (Plone's sharing tab).
LOCAL_ROLES = (EDITOR, REVIEWER, APPROVER)

ROLE_TITLES = {
    ADMIN: _l("Administrator"),
    EDITOR: _l("Editor"),
    REVIEWER: _l("Reviewer"),
    APPROVER: _l("Approver"),
    MEMBER: _l("Member city representative"),
    # Not granted: whoever made the item (in a step's guard).
    OWNER: _l("Author"),
}

# The order in which a step's roles are named ("Author, Editor"); an administrator may take every step.
STEP_ROLES = (OWNER, EDITOR, REVIEWER, APPROVER, ADMIN)

STAFF = frozenset({ADMIN, EDITOR, REVIEWER, APPROVER})
# Who sees an item while it is being worked on: its author and the secretariat's staff.
WORKING = frozenset({OWNER}) | STAFF
# Who sees it once it is out: staff, its author, member cities, and everyone if it is marked public.
RELEASED = STAFF | {OWNER, MEMBER, PUBLIC}

# Permission maps several workflows' states share (never mutated). An item's
# past stays with the people who made it in every state: the public and the
# member cities see what was released (its published versions), never drafts,
# reviewers' comments or who on the staff did what.
BEING_DRAFTED = {
    VIEW: WORKING,
    DOWNLOAD: WORKING,
    MODIFY: {OWNER, EDITOR, ADMIN},
    DELETE: {OWNER, EDITOR, ADMIN},
    HISTORY: WORKING,
}
BEING_REVIEWED = {VIEW: WORKING, DOWNLOAD: WORKING, MODIFY: {REVIEWER, ADMIN}, HISTORY: WORKING}
FROZEN_INTERNAL = {VIEW: WORKING, DOWNLOAD: WORKING, HISTORY: WORKING}
FROZEN_RELEASED = {VIEW: RELEASED, DOWNLOAD: RELEASED, HISTORY: WORKING}

SITE_PERMISSIONS = {
    ACCESS_ADMIN: STAFF,
    ADD_CONTENT: frozenset({ADMIN, EDITOR}),
    MANAGE_USERS: frozenset({ADMIN}),
    # The secretariat's editors maintain the member-city database (DESIGN.md).
    MANAGE_CITIES: frozenset({ADMIN, EDITOR}),
    VIEW_CONTACTS: STAFF | {MEMBER},
    VIEW_AUDIT_LOG: frozenset({ADMIN}),
    MANAGE_MAIL: frozenset({ADMIN}),
    CHOOSE_NOTIFICATIONS: frozenset(SITE_ROLES),
    STEAL_LOCK: frozenset({ADMIN}),
    CORRECT_CITY_STATUS: frozenset({ADMIN}),
    SEND_REMINDERS: frozenset({ADMIN, EDITOR}),
    # A representative while their city is a member (see policy._site_roles).
    FILE_FOR_OWN_CITY: frozenset({MEMBER}),
    PROPOSE: frozenset({MEMBER}),
    # Everyone: the applicant city has no account; what vouches for the application is the confirmed mailbox.
    APPLY_FOR_MEMBERSHIP: frozenset({ANONYMOUS, AUTHENTICATED}),
    MANAGE_DELEGATIONS: STAFF,
}

# Who holds each city permission on any city, and who only on their own city. MEMBER is a role only while the
# representative's city is a member, so a requested, withdrawn or excluded city's representative holds neither.
CITY_PERMISSION_MAP = {
    EDIT_CITY: {"any": SITE_PERMISSIONS[MANAGE_CITIES], "own": frozenset({MEMBER})},
    # Delegates' names are personal data: the secretariat, the delegation's own city, the host (see
    # cms.operations.events) — never other member cities or the public.
    REGISTER_DELEGATION: {"any": SITE_PERMISSIONS[MANAGE_DELEGATIONS], "own": frozenset({MEMBER})},
    VIEW_DELEGATES: {"any": SITE_PERMISSIONS[MANAGE_DELEGATIONS], "own": frozenset({MEMBER})},
}
