"""One admin view per content type: lists of what the user may view, forms that can't set state."""

from datetime import datetime

from bson import ObjectId
from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.mongoengine.filters import BaseMongoEngineFilter
from flask_admin.model.helpers import get_mdict_item_or_list
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from mongoengine import ValidationError
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired

from cms import edit_lock, operations, scheduler, translating, working_copies
from cms.admin.base import SecureModelView
from cms.diagram import workflow_svg
from cms.downloads import attachment_url
from cms.labels import FIELD_LABELS
from cms.revisions import compare, revisions_of
from cms.security import can, permitted_query
from cms.uploads import UploadRefused
from content_types import (
    CONTENT_TYPES,
    LANGUAGE_NAMES,
    LANGUAGES,
    SYSTEM_FIELDS,
    Attachment,
    Content,
    Meeting,
    Revision,
)
from content_types.search import fold_for_search
from workflows import engine, state_definition, workflow_for
from workflows.conditions import UPCOMING_MEETING_STATES
from workflows.errors import TransitionConflict, TransitionNotAllowed, TransitionNotPossible
from workflows.permissions import ADD_CONTENT, MANAGE_USERS, MODIFY, VIEW


def folded_search(view, query, search_term: str):
    """Flask-Admin's list search, on the folded title: any case, ä = ae, Chinese characters as typed."""
    folded = fold_for_search(search_term)
    return query.filter(search_text__contains=folded) if folded else query


class FilterState(BaseMongoEngineFilter):
    """Filter by workflow state (options from the type's workflow)."""

    def apply(self, query, value):
        """Keep items in state `value`."""
        return query.filter(state=value)

    def operation(self):
        """Name the comparison."""
        return _l("is")


class FilterLanguage(FilterState):
    """Filter by content language."""

    def apply(self, query, value):
        """Keep items in language `value`."""
        return query.filter(language=value)


class FilterYear(FilterState):
    """Filter by year: the item's own year field, else the year it was created."""

    def clean(self, value):
        """Accept a four-digit year only."""
        return int(value) if value.isdigit() and len(value) == 4 else 0

    def apply(self, query, value):
        """Keep items of year `value`."""
        if hasattr(query._document, "year"):
            return query.filter(year=value)
        return (
            query.filter(created__gte=datetime(value, 1, 1), created__lt=datetime(value + 1, 1, 1))
            if value
            else query.none()
        )


class FilterType(FilterState):
    """Filter the overview by content type."""

    def apply(self, query, value):
        """Keep items of type `value`."""
        cls = CONTENT_TYPES.get(value)
        return query.filter(_cls=cls._class_name) if cls else query.none()


class AllContentView(SecureModelView):
    """Every item the user may view, of all types, with a type filter; editing opens the type's view."""

    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["title", "type", "language", "state", "revision", "modified"]
    column_labels = {
        "title": _l("Title"),
        "type": _l("Type"),
        "language": _l("Language"),
        "state": _l("State"),
        "revision": _l("Revision"),
        "modified": _l("Modified"),
    }
    column_searchable_list = ["title"]
    _search = folded_search
    column_default_sort = ("modified", True)
    column_sortable_list = ["title", "language", "state", "modified"]

    def __init__(self, model, type_titles: dict, **kwargs):
        self.type_titles = type_titles
        # Titles stay lazy: they are rendered in each reader's language.
        states = sorted(
            {state["name"]: state["title"] for name in CONTENT_TYPES for state in workflow_for(name)["states"]}.items()
        )
        self.column_filters = [
            FilterType("_cls", _l("Type"), options=[(name, title) for name, title in type_titles.items()]),
            FilterState("state", _l("State"), options=states),
            FilterLanguage("language", _l("Language"), options=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]),
            FilterYear("year", _l("Year")),
        ]
        self.column_formatters = {
            "title": self._title_link,
            "type": lambda view, context, model, name: str(view.type_titles.get(model.type_name, model.type_name)),
            "state": lambda view, context, model, name: state_title(model),
        }
        super().__init__(model, **kwargs)

    def _title_link(self, view, context, model, name):
        url = url_for(f"content_{model.type_name}.workflow_view", id=str(model.pk))
        return Markup('<a href="{}">{}</a>').format(url, model.title)

    def get_query(self):
        """Return only the items the current user may view, of every type."""
        return self.model.objects(__raw__=permitted_query(current_user, VIEW))


def workflow_panel(item) -> dict:
    """Return what the workflow panel shows: state, open transitions, meetings to choose, history, diagram."""
    transitions = engine.available_transitions(current_user, item)
    needs_meeting = any("meeting_id" in t.get("needs", ()) for t in transitions)
    return {
        "workflow_state": state_title(item),
        "workflow_transitions": transitions,
        "workflow_meetings": list(Meeting.objects(state__in=UPCOMING_MEETING_STATES).order_by("year", "half"))
        if needs_meeting
        else [],
        "workflow_history": list(reversed(item.history)),
        "workflow_diagram": workflow_svg(workflow_for(item.type_name), item.state),
        "state_titles": {s["name"]: str(s["title"]) for s in workflow_for(item.type_name)["states"]},
    }


def translation_panel(item) -> dict:
    """Return what the translations box shows: the group with states, languages to add, group transitions."""
    group = translating.members(current_user, item.translation_group)
    sources = translating.newest_versions(group)
    everyone_visible = len(group) == Content.objects(translation_group=item.translation_group).count()
    common = []
    if len(group) > 1 and everyone_visible:
        # Offered only where every language can take the step: the group moves all or none.
        per_item = [engine.available_transitions(current_user, member) for member in group]
        triggers = set.intersection(*({t["trigger"] for t in transitions} for transitions in per_item))
        common = [t for t in per_item[0] if t["trigger"] in triggers]
    return {
        "translations": [
            {
                "item": member,
                "language": LANGUAGE_NAMES[member.language],
                "state": state_title(member),
                "outdated": translating.outdated(member, sources),
            }
            for member in group
        ],
        "missing_languages": [
            (code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code not in {m.language for m in group}
        ]
        if can(current_user, ADD_CONTENT) and not item.working_copy_of
        else [],
        "group_transitions": common,
    }


def state_title(model) -> str:
    """Return the translated title of the item's state."""
    state = state_definition(model.type_name, model.state)
    return str(state["title"]) if state else model.state


class ContentView(SecureModelView):
    """Create, list and edit one content type; the workflow and can() decide the rest."""

    # Staff may open the list (it shows what each may view); creating, editing
    # and deleting are checked per item through can() and the operations layer.
    form_excluded_columns = list(SYSTEM_FIELDS) + ["number"]
    column_list = ["title", "language", "state", "revision", "modified"]
    column_labels = {
        "title": _l("Title"),
        "language": _l("Language"),
        "state": _l("State"),
        "revision": _l("Revision"),
        "modified": _l("Modified"),
        "year": _l("Year"),
        "body": _l("Text"),
        "number": _l("Number"),
    }
    column_searchable_list = ["title"]
    _search = folded_search
    column_default_sort = ("modified", True)
    column_sortable_list = ["title", "language", "state", "modified"]
    column_formatters = {"state": lambda view, context, model, name: state_title(model)}
    form_overrides = {"body": TextAreaField, "minutes": TextAreaField}
    edit_template = "admin/content/edit.html"
    column_extra_row_actions = [EndpointLinkRowAction("fa fa-random", ".workflow_view", title=_l("Workflow"))]
    form_widget_args = {"body": {"rows": 12}}

    def __init__(self, model, type_name: str, **kwargs):
        self.type_name = type_name
        states = [(state["name"], state["title"]) for state in workflow_for(type_name)["states"]]
        filters = [
            FilterState("state", _l("State"), options=states),
            FilterLanguage("language", _l("Language"), options=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]),
        ]
        filters.append(FilterYear("year", _l("Year")))
        self.column_filters = filters
        self.form_args = {name: {"label": label} for name, label in FIELD_LABELS.items() if name in model._fields}
        if "year" in model._fields:
            self.column_list = ["title", "year", "language", "state", "revision", "modified"]
        if "number" in model._fields:
            self.column_list = ["number", *self.column_list]
        super().__init__(model, **kwargs)

    @property
    def can_create(self) -> bool:
        """Only those who may add content see and use the create form."""
        return can(current_user, ADD_CONTENT)

    def get_query(self):
        """Return only the items the current user may view (the same rule as can())."""
        return self.model.objects(__raw__=permitted_query(current_user, VIEW, [self.type_name]))

    def scaffold_form(self):
        """Add the revision being edited (the stale-save guard); offer languages by name, not code."""
        form_class = super().scaffold_form()
        form_class.edited_revision = HiddenField()
        # Flask-Admin builds choice fields from the model's codes, ignoring form_args.
        form_class.language = SelectField(
            FIELD_LABELS["language"],
            choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            validators=[InputRequired()],
            default="de",
        )
        return form_class

    def on_form_prefill(self, form, id):
        """Remember which revision the form shows."""
        item = self.get_one(id)
        form.edited_revision.data = item.revision if item else ""

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        """Edit where the state allows it; otherwise show the item's workflow page (and refuse posts)."""
        item_id = get_mdict_item_or_list(request.args, "id")
        item = self.get_one(item_id) if item_id else None
        if item is not None and not can(current_user, MODIFY, item):
            if request.method != "GET":
                abort(403)
            return redirect(url_for(".workflow_view", id=str(item.pk)))
        if item is not None and request.method == "GET":
            self._take_lock(item)
        return super().edit_view()

    def _take_lock(self, item) -> None:
        held = edit_lock.holder(item)
        if edit_lock.take(current_user, item):
            return
        if can(current_user, MANAGE_USERS) and edit_lock.take(current_user, item, steal=True):
            flash(_("You took over the edit lock of %(user)s.", user=held[0].email), "warning")
            return
        flash(
            _(
                "Being edited by %(user)s since %(since)s UTC; saving over their work is refused, not silent.",
                user=held[0].email,
                since=held[1].strftime("%H:%M"),
            ),
            "warning",
        )

    def render(self, template, **kwargs):
        """Give the edit page the item's workflow panel."""
        model = kwargs.get("model")
        if model is not None and template == self.edit_template:
            kwargs.update(workflow_panel(model))
        return super().render(template, **kwargs)

    def _item_or_404(self, item_id):
        """Return the item `item_id` if the user may view it (get_one filters by can()), else 404."""
        item = self.get_one(item_id) if isinstance(item_id, str) and ObjectId.is_valid(item_id) else None
        if item is None:
            abort(404)
        return item

    @expose("/workflow/")
    def workflow_view(self):
        """Show an item's fields, state, open transitions, history and diagram (for whoever may view it)."""
        item = self._item_or_404(request.args.get("id", ""))
        fields = [(str(FIELD_LABELS.get(name, name)), getattr(item, name)) for name in self._readable_fields(item)]
        return self.render(
            "admin/content/workflow.html",
            model=item,
            fields=fields,
            can_modify=can(current_user, MODIFY, item),
            revisions=list(reversed(revisions_of(item))),
            attachments=[(a, attachment_url(a)) for a in Attachment.objects(item=item.pk)],
            can_check_out=item.state == "published" and not item.working_copy and can(current_user, ADD_CONTENT),
            can_schedule=any(
                t["trigger"] in ("publish", "archive") for t in engine.available_transitions(current_user, item)
            ),
            **workflow_panel(item),
            **translation_panel(item),
        )

    @expose("/translate/", methods=("POST",))
    def translate_view(self):
        """Create the item's translation into the chosen language and open it for editing."""
        return self._open_new_draft(
            lambda item: translating.translate(current_user, item, request.form.get("language", "")),
            _("Translation created as a draft, pre-filled with the source text: translate it and save."),
        )

    def _open_new_draft(self, make, done_message: str):
        # Translating and checking out both derive a draft from the posted item
        # and open it for editing, or say why not on the item's page.
        item_id = request.form.get("id", "")
        item = self._item_or_404(item_id)
        try:
            draft = make(item)
        except operations.NotAllowed:
            abort(403)
        except operations.Refused as refusal:
            flash(refusal.message, "error")
            return redirect(url_for(".workflow_view", id=item_id))
        flash(done_message, "success")
        return redirect(url_for(".edit_view", id=str(draft.pk)))

    @expose("/fire-group/", methods=("POST",))
    def fire_group_view(self):
        """Fire one transition on every language of the item's group, all or none."""
        item_id = request.form.get("id", "")
        item = self._item_or_404(item_id)
        try:
            translating.fire_group(
                current_user,
                item.translation_group,
                request.form.get("transition", ""),
                comment=request.form.get("comment"),
                meeting_id=request.form.get("meeting_id") or None,
            )
        except (LookupError, operations.NotAllowed):
            abort(403)
        except (TransitionNotAllowed, TransitionNotPossible, TransitionConflict) as refusal:
            flash(_("Nothing was changed: %(reason)s", reason=refusal.message), "error")
        else:
            flash(
                _("Done for every language: now “%(state)s”.", state=state_title(Content.objects.get(pk=item.pk))),
                "success",
            )
        return redirect(url_for(".workflow_view", id=item_id))

    @expose("/checkout/", methods=("POST",))
    def checkout_view(self):
        """Start a working copy of a published item and open it for editing."""
        return self._open_new_draft(
            lambda item: working_copies.check_out(current_user, item),
            _("Working copy created: the published version stays online until this one is published."),
        )

    @expose("/schedule/", methods=("POST",))
    def schedule_view(self):
        """Set the publication and expiry times (UTC) the scheduler fires."""
        item_id = request.form.get("id", "")
        item = self._item_or_404(item_id)
        try:
            times = [
                datetime.fromisoformat(request.form[name]) if request.form.get(name) else None
                for name in ("publish_at", "expire_at")
            ]
            scheduler.schedule(current_user, item, *times)
        except PermissionError:
            abort(403)
        except ValueError as refusal:  # a malformed time, or ScheduleRefused
            flash(
                str(refusal)
                if isinstance(refusal, scheduler.ScheduleRefused)
                else _("Give times like 2027-01-15T09:00."),
                "error",
            )
        else:
            flash(_("Schedule saved."), "success")
        return redirect(url_for(".workflow_view", id=item_id))

    @expose("/upload/", methods=("POST",))
    def upload_view(self):
        """Attach a file from the item page (the same checks as the API)."""
        item_id = request.form.get("id", "")
        item = self._item_or_404(item_id)
        upload = request.files.get("file")
        try:
            if upload is None:
                raise UploadRefused(422, "missing_file", _("Choose a file first."))
            attachment = operations.add_attachment(
                current_user, item, upload.stream, upload.filename, current_app.config["CMS_MAX_UPLOAD_BYTES"]
            )
        except operations.NotAllowed:
            abort(403)
        except UploadRefused as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("Attached: %(name)s", name=attachment.name), "success")
        return redirect(url_for(".workflow_view", id=item_id))

    @expose("/compare/")
    def compare_view(self):
        """Show what changed between two revisions of an item, field by field."""
        item_id = request.args.get("id", "")
        item = self.get_one(item_id) if ObjectId.is_valid(item_id) else None
        numbers = [request.args.get(key, "") for key in ("a", "b")]
        if item is None or not all(number.isdigit() and len(number) < 10 for number in numbers):
            abort(404)
        revisions_of(item)
        a, b = (Revision.objects(item=item.pk, number=int(number)).first() for number in numbers)
        if a is None or b is None:
            abort(404)
        return self.render(
            "admin/content/compare.html",
            model=item,
            a=a,
            b=b,
            differences=compare(a, b),
            labels={name: str(label) for name, label in FIELD_LABELS.items()},
        )

    @expose("/restore/", methods=("POST",))
    def restore_view(self):
        """Save an old revision as the item's next revision."""
        item_id = request.form.get("id", "")
        number = request.form.get("revision", "")
        item = self.get_one(item_id) if ObjectId.is_valid(item_id) else None
        if item is None or not number.isdigit() or len(number) > 9:
            abort(404)
        try:
            operations.restore_revision(current_user, item, int(number))
        except LookupError:
            abort(404)
        except operations.NotAllowed:
            abort(403)
        except operations.Conflict:
            flash(_("Someone else changed this item meanwhile; nothing was restored."), "error")
        else:
            flash(_("Revision %(number)s restored as a new revision.", number=number), "success")
        return redirect(url_for(".workflow_view", id=item_id))

    def _readable_fields(self, item):
        return [name for name in type(item)._fields if name not in SYSTEM_FIELDS and name not in ("_cls", "body")]

    @expose("/fire/", methods=("POST",))
    def fire_view(self):
        """Fire a transition from the buttons (CSRF-checked like every POST)."""
        item_id = request.form.get("id", "")
        item = self._item_or_404(item_id)
        try:
            engine.fire(
                current_user,
                item,
                request.form.get("transition", ""),
                comment=request.form.get("comment"),
                meeting_id=request.form.get("meeting_id") or None,
            )
        except TransitionNotAllowed as refusal:
            flash(refusal.message, "error")
            return redirect(url_for(".workflow_view", id=item_id)), 303
        except (TransitionNotPossible, TransitionConflict) as refusal:
            flash(refusal.message, "error")
        else:
            flash(
                _("Done: the item is now “%(state)s”.", state=state_title(Content.objects.get(pk=item.pk))), "success"
            )
        return redirect(url_for(".workflow_view", id=item_id))

    def _copy_form(self, form, item) -> None:
        for name, field in form._fields.items():
            if name in ("csrf_token", "edited_revision") or name in SYSTEM_FIELDS:
                continue
            field.populate_obj(item, name)

    def create_model(self, form):
        """Create through the operations layer: owner, initial state and revision set there."""
        try:
            item = operations.new_item(current_user, self.type_name)
            self._copy_form(form, item)
            operations.save_new_item(current_user, item)
        except operations.NotAllowed:
            abort(403)
        except ValidationError as error:
            self._flash_invalid(error)
            return False
        return item

    def update_model(self, form, model):
        """Save as the next revision, or refuse a stale form and keep the user's input."""
        try:
            expected = int(form.edited_revision.data)
        except (TypeError, ValueError):
            flash(_("The form is missing the revision it was opened at; reload the item."), "error")
            return False
        try:
            self._copy_form(form, model)
            operations.save_changes(current_user, model, expected)
        except operations.NotAllowed:
            abort(403)
        except operations.Conflict:
            flash(
                _(
                    "Someone else saved this item after you opened it (or deleted it). Your text is kept below: "
                    "copy what you need, reload the item and apply your changes again."
                ),
                "error",
            )
            return False
        except ValidationError as error:
            self._flash_invalid(error)
            return False
        return True

    def delete_model(self, model):
        """Delete where the state's permission map allows it."""
        try:
            operations.delete_item(current_user, model)
        except operations.NotAllowed:
            flash(_("You are not allowed to delete this item."), "error")
            return False
        except operations.Conflict:
            flash(_("The item changed meanwhile; nothing was deleted."), "error")
            return False
        return True

    def _flash_invalid(self, error: ValidationError) -> None:
        for field, message in operations.validation_messages(error).items():
            label = FIELD_LABELS.get(field, field)
            flash(_("%(label)s: %(value)s", label=label, value=message), "error")
