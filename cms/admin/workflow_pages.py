"""Admin pages around the workflows: the personal worklist, the diagrams, the audit log."""

from flask_admin import expose
from flask_admin.contrib.mongoengine.filters import DateTimeGreaterFilter, DateTimeSmallerFilter, FilterEqual
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cms.admin.base import SecureModelView, StaffView
from cms.audit_texts import ACTION_TITLES, action_title, describe
from cms.dashboard import WAITING_LIMIT, rows_of, submitted_by, waiting_rows
from cms.diagram import workflow_svg
from content_types.audit import AUDIT_ACTIONS
from workflows import REGISTRY
from workflows.permissions import VIEW_AUDIT_LOG
from workflows.types import TYPES

# How many items each of the worklist's tables lists at most.
SHOWN = WAITING_LIMIT


class WorklistView(StaffView):
    """Items waiting for the current user (to submit, review, approve, publish) and theirs waiting for others."""

    @expose("/")
    def index(self):
        """List the waiting items with the steps open to the user, then the user's own items and whom they wait for."""
        waiting = waiting_rows(current_user)
        listed = {row["item"].pk for row in waiting}
        own = rows_of(submitted_by(current_user)[:SHOWN], current_user)
        theirs = [row for row in own if row["item"].pk not in listed]
        return self.render("admin/worklist.html", rows=waiting, theirs=theirs, limit=SHOWN)


class WorkflowDiagramsView(StaffView):
    """Every workflow drawn, with the content types that follow it."""

    @expose("/")
    def index(self):
        """Show each workflow's diagram."""
        workflows = [
            {
                "definition": definition,
                "svg": workflow_svg(definition),
                "types": [str(t.plural) for t in TYPES.values() if t.workflow == definition["name"]],
            }
            for definition in REGISTRY.values()
        ]
        return self.render("admin/workflows.html", workflows=workflows)


class AuditLogView(SecureModelView):
    """The audit log, for admins: browse and filter, never change."""

    permission = VIEW_AUDIT_LOG
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["at", "action", "actor_email", "item_type", "item_title", "detail", "address"]
    column_labels = {
        "at": _l("When"),
        "action": _l("Action"),
        "actor_email": _l("Who"),
        "item_type": _l("Type"),
        "item_title": _l("Item"),
        "detail": _l("Detail"),
        "address": _l("Address"),
    }
    # Equality filters for text: Flask-Admin's "contains"/"not contains" build regexes the embedded database can't take.
    column_filters = [
        FilterEqual("action", _l("Action"), options=[(action, ACTION_TITLES[action]) for action in AUDIT_ACTIONS]),
        FilterEqual("actor_email", _l("Who")),
        FilterEqual("item_type", _l("Type"), options=[(name, t.title) for name, t in TYPES.items()]),
        DateTimeGreaterFilter("at", _l("After")),
        DateTimeSmallerFilter("at", _l("Before")),
    ]
    column_searchable_list = ["actor_email", "item_title"]
    column_default_sort = ("at", True)
    # Facts stored, words made for each reader: the action, the type and what happened in their language.
    column_formatters = {
        "action": lambda view, context, model, name: action_title(model.action),
        "item_type": lambda view, context, model, name: (
            str(TYPES[model.item_type].title) if model.item_type in TYPES else model.item_type
        ),
        "detail": lambda view, context, model, name: describe(model),
    }
