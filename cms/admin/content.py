"""One admin view per content type: lists of what the user may view, forms that write only editable fields.

Every change goes through an operation (cms.operations) or the engine; an
item page's buttons are drawn from the same predicates the operations ask.
"""

import functools
from datetime import date, datetime

from bson import ObjectId
from flask import current_app, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.mongoengine.filters import BaseMongoEngineFilter
from flask_admin.helpers import get_form_data
from flask_admin.model.helpers import get_mdict_item_or_list
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from mongoengine import ListField
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from cms.admin.base import SecureModelView
from cms.admin.company_chooser import CompanyChooser
from cms.admin.rich_text import RichTextField
from cms.diagram import workflow_svg
from cms.downloads import attachment_url, version_links, view_url
from cms.labels import FIELD_CHOICES, FIELD_LABELS, describe_meeting, shown
from cms.operations import (
    attachments,
    consents,
    content,
    locks,
    membership,
    refuse_unless,
    reports,
    scheduling,
    translations,
    working_copies,
)
from cms.revisions import compare, revision_of, revisions_of
from cms.security import can, permitted_query
from cms.translation_source import source_of, source_panel
from cms.versions import versions_of
from content_types import LANGUAGE_NAMES, LANGUAGES, Attachment, Content, MemberCity
from content_types.base import reference_id
from content_types.membership import DECISION_TITLES
from content_types.refusals import NotFound, NotPossible
from content_types.search import fold_for_search
from workflows import engine, has_flag, state_title, transition_title, workflow_for
from workflows.compilation import choosable_news
from workflows.conditions import approved_source, missing_cities
from workflows.needs import needs_of
from workflows.permissions import DOWNLOAD, VIEW
from workflows.types import TYPES


class FreshQuery:
    """A queryset made anew each time a form uses it: the admin's form classes outlive requests and connections.

    Flask-Admin's reference choosers keep the queryset they were built with;
    one made at start-up would touch the database then, and offer stale results later.
    """

    def __init__(self, make):
        self.make = make

    def __getattr__(self, name):
        return getattr(self.make(), name)

    def __call__(self, *args, **kwargs):
        return self.make()(*args, **kwargs)

    def __iter__(self):
        return iter(self.make())

    def __bool__(self) -> bool:
        return True


# Reference lists a form offers from a query of its own rather than every stored document.
FIELD_QUERIES = {"news_items": choosable_news}
COMPANY_REFERENCES = {"german_companies": "DE", "chinese_companies": "CN"}


def _replace(form_class, name: str, field) -> None:
    # A field put in place of a generated one keeps its place in the form (WTForms orders by creation).
    generated = getattr(form_class, name, None)
    if generated is not None:
        field.creation_counter = generated.creation_counter
    setattr(form_class, name, field)


# What a date-and-time input sends (the first is how it is shown), and what else is understood.
WALL_CLOCK_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
# Reference choosers whose options are named by a function (a meeting by its half-year and host city).
FIELD_OPTION_LABELS = {"meeting": describe_meeting}


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
    """Filter by year: the item's own year (a plan's year, a signing date), else the year it was created."""

    def clean(self, value):
        """Accept a four-digit year only."""
        return int(value) if value.isdigit() and len(value) == 4 else 0

    def apply(self, query, value):
        """Keep items of year `value`."""
        if not value:
            return query.none()
        types = [t.cls for t in TYPES.values() if issubclass(t.cls, query._document)]
        return query.filter(__raw__={"$or": [cls.year_query(value) for cls in types]})


class FilterType(FilterState):
    """Filter the overview by content type."""

    def apply(self, query, value):
        """Keep items of type `value`."""
        registered = TYPES.get(value)
        return query.filter(_cls=registered.cls._class_name) if registered else query.none()


def _language_filter():
    return FilterLanguage("language", _l("Language"), options=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES])


def _state_formatter(view, context, model, name):
    return state_title(model.type_name, model.state)


def _language_formatter(view, context, model, name):
    return str(LANGUAGE_NAMES.get(model.language, model.language))


def _changed_formatter(view, context, model, name):
    return _("%(when)s UTC", when=format_datetime(model.last_changed, "short")) if model.last_changed else ""


def _title_link(view, context, model, name):
    # The title opens the item's page; a meeting's title is in the reader's language where it has one.
    url = url_for(f"content_{model.type_name}.workflow_view", id=str(model.pk))
    return Markup('<a href="{}">{}</a>').format(url, shown(model, "title"))


class AllContentView(SecureModelView):
    """Every item the user may view, of all types, with a type filter; titles open the item's page."""

    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["title", "type", "language", "state", "revision", "changed"]
    column_labels = {
        "title": _l("Title"),
        "type": _l("Type"),
        "language": _l("Language"),
        "state": _l("State"),
        "revision": _l("Revision"),
        "changed": _l("Changed"),
    }
    column_searchable_list = ["title"]
    _search = folded_search
    column_default_sort = ("changed", True)
    column_sortable_list = ["title", "language", "state", "changed"]

    def __init__(self, model, **kwargs):
        # Titles stay lazy: they are rendered in each reader's language.
        states = sorted(
            {state["name"]: state["title"] for name in TYPES for state in workflow_for(name)["states"]}.items()
        )
        self.column_filters = [
            FilterType("_cls", _l("Type"), options=[(name, t.plural) for name, t in TYPES.items()]),
            FilterState("state", _l("State"), options=states),
            _language_filter(),
            FilterYear("year", _l("Year")),
        ]
        self.column_formatters = {
            "title": _title_link,
            "type": lambda view, context, model, name: str(TYPES[model.type_name].title),
            "state": _state_formatter,
            "language": _language_formatter,
            "changed": _changed_formatter,
        }
        super().__init__(model, **kwargs)

    def get_query(self):
        """Return only the items the current user may view, of every type."""
        return self.model.objects(__raw__=permitted_query(current_user, VIEW))


def workflow_panel(item) -> dict:
    """Return what the workflow panel shows: state, the steps open to the user with their inputs, history, diagram."""
    return {
        "workflow_state": state_title(item.type_name, item.state),
        # A step that rests on a file (a signed declaration) has its own form with the upload (membership_panel).
        "workflow_transitions": [
            _drawn(item, t) for t in engine.available_transitions(current_user, item) if not t.get("with_upload")
        ],
        "next_steps": engine.next_steps(current_user, item),
        "workflow_history": [
            {"entry": entry, "step": transition_title(item.type_name, entry.transition)}
            for entry in reversed(item.history)
        ],
        "workflow_diagram": workflow_svg(workflow_for(item.type_name), item.state),
        "state_titles": {s["name"]: str(s["title"]) for s in workflow_for(item.type_name)["states"]},
    }


def _drawn(item, transition: dict) -> dict:
    # What a button's form needs: each input the transition takes, its partial and what it offers.
    return {
        "trigger": transition["trigger"],
        "title": transition["title"],
        "inputs": [
            {"need": need, "required": required, "choices": need.choices(current_user, item) if need.choices else []}
            for need, required in needs_of(transition)
        ],
    }


def membership_panel(item) -> dict | None:
    """Return an application's consultation (decisions, who is missing, reminders) and its file steps, else None."""
    if not type(item).decided_field:
        return None
    user = current_user
    recorded = {reference_id(d._data["city"]): d for d in consents.decisions(item)}
    consulted = [reference_id(city) for city in item._data.get("consulted_cities") or ()]
    cities = {city.pk: city for city in MemberCity.objects(pk__in=consulted + list(recorded))}
    letters = {a.pk: a for a in Attachment.objects(pk__in=[d.letter for d in recorded.values() if d.letter])}
    return {
        "rows": [
            {
                "city": cities.get(city),
                "decision": recorded.get(city),
                "title": DECISION_TITLES.get(recorded[city].decision) if city in recorded else None,
                "letter": _with_urls([letters[recorded[city].letter]])[0]
                if city in recorded and recorded[city].letter in letters
                else None,
            }
            for city in consulted
        ],
        "missing": [cities[city] for city in missing_cities(item) if city in cities],
        "reminders": consents.reminders(item),
        "may_remind": consents.may_remind(user, item),
        "may_record_declaration": membership.may_record_declaration(user, item),
        "may_notify": membership.may_notify(user, item),
    }


def translation_panel(item) -> dict:
    """Return what the translations box shows: the group with states, languages to add, group transitions."""
    group = translations.members(current_user, item.translation_group)
    sources = translations.newest_versions(group)
    return {
        "translations": [
            {
                "item": member,
                "language": LANGUAGE_NAMES[member.language],
                "state": state_title(member.type_name, member.state),
                "outdated": translations.outdated(member, sources),
            }
            for member in group
        ],
        "missing_languages": [
            (code, LANGUAGE_NAMES[code]) for code in translations.missing_languages(current_user, item)
        ],
        "group_transitions": [_drawn(item, t) for t in translations.group_transitions(current_user, item)],
        # A translation of a text a meeting approved is certified, not approved again.
        "approved_source": approved_source(item),
        "source_revisions": _source_revisions(item),
    }


def _source_revisions(item) -> tuple | None:
    # (the source revision a translation renders or None, the source's current one), for a translation only.
    source = source_of(item)
    if source is None or not can(current_user, VIEW, source):
        return None
    return item.translation_source_revision, source.revision


def shown_value(item, name: str):
    """Return a field's value as the item page shows it: names rather than codes or records, dates as written."""
    value = getattr(item, name)
    if name == "language":
        return str(LANGUAGE_NAMES.get(value, value))
    if name == "encloses":
        return _enclosed_title(value)
    if name in FIELD_CHOICES and isinstance(value, str):
        return str(FIELD_CHOICES[name].get(value, value))
    if name in getattr(type(item), "wall_clock_fields", ()) and value is not None:
        # A time at the venue, not UTC: its time zone is a field of its own.
        return format_datetime(value, "short")
    if isinstance(value, ObjectId):
        # A file or document the process recorded (a signed declaration): named, not shown as an id.
        attachment = Attachment.objects(pk=value, item=item.pk).only("name").first()
        return attachment.name if attachment else _enclosed_title(value)
    return _shown(value)


def _enclosed_title(item_id) -> str:
    # A circular names the document it sends by its title, not its database id.
    enclosed = Content.objects(pk=item_id).only("title").first() if item_id else None
    return enclosed.title if enclosed else ""


def _shown(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, list):
        return ", ".join(str(_shown(entry)) for entry in value)
    if isinstance(value, datetime):
        return format_datetime(value, "short") + " UTC"
    if isinstance(value, date):
        return format_date(value, "medium")
    return str(value)  # documents (cities) name themselves in the reader's language


def _with_urls(attachments):
    return [(attachment, attachment_url(attachment)) for attachment in attachments]


def item_action(action):
    """An item page's POST: load the item (404), run `action(view, item)`, flash what it returns, 303 to the page.

    `action` returns (message, url or None). A refusal it raises is answered
    by the view's refusal page: the item's page with the message and the
    refusal's status.
    """

    @functools.wraps(action)
    def view(self):
        item = self.load_item(request.form.get("id", ""))
        message, target = action(self, item)
        flash(message, "success")
        return redirect(target or url_for(".workflow_view", id=str(item.pk)), 303)

    return view


class ContentView(SecureModelView):
    """Create, list and edit one content type; the workflow and the operations decide the rest."""

    column_list = ["title", "language", "state", "revision", "changed"]
    column_labels = {
        "title": _l("Title"),
        "language": _l("Language"),
        "state": _l("State"),
        "revision": _l("Revision"),
        "changed": _l("Changed"),
        "year": _l("Year"),
        "body": _l("Text"),
        "number": _l("Number"),
    }
    column_searchable_list = ["title"]
    _search = folded_search
    column_default_sort = ("changed", True)
    column_sortable_list = ["title", "language", "state", "changed"]
    column_formatters = {
        "state": _state_formatter,
        "language": _language_formatter,
        "changed": _changed_formatter,
        "title": _title_link,
        "encloses": lambda view, context, model, name: _enclosed_title(model.encloses),
    }
    # HTML fields: textareas the rich-text editor takes over (static/editor/, loaded by these templates).
    form_overrides = {"body": RichTextField, "minutes": RichTextField}
    edit_template = "admin/content/edit.html"
    create_template = "admin/content/create.html"
    column_extra_row_actions = [EndpointLinkRowAction("fa fa-random", ".workflow_view", title=_l("Workflow"))]
    form_widget_args = {"body": {"rows": 12}}

    def __init__(self, model, type_name: str, **kwargs):
        self.type_name = type_name
        # The type's allow-list is the form: nothing else can be posted into the item.
        self.form_columns = list(model.editable_fields)
        states = [(state["name"], state["title"]) for state in workflow_for(type_name)["states"]]
        self.column_filters = [FilterState("state", _l("State"), options=states), _language_filter()]
        self.column_filters.append(FilterYear("year", _l("Year")))
        self.form_args = {name: {"label": label} for name, label in FIELD_LABELS.items() if name in model._fields}
        for name, choices in FIELD_QUERIES.items():
            if name in self.form_columns:
                self.form_args[name]["queryset"] = FreshQuery(choices)
        # A project's companies are chosen by typing a name: the database holds thousands.
        self.form_ajax_refs = {
            name: CompanyChooser(name, country)
            for name, country in COMPANY_REFERENCES.items()
            if name in self.form_columns
        }
        for name, labeller in FIELD_OPTION_LABELS.items():
            if name in self.form_columns:
                self.form_args[name]["label_modifier"] = labeller
        # A venue's wall-clock time (an event's start): the browser's own date-and-time input, no script, no zone.
        wall_clock = getattr(model, "wall_clock_fields", ())
        self.form_overrides = {**self.form_overrides, **{name: DateTimeLocalField for name in wall_clock}}
        for name in wall_clock:
            self.form_args.setdefault(name, {})["format"] = WALL_CLOCK_FORMATS
        # Every column a type lists (its assigned fields too) is headed by the form's label.
        self.column_labels = {**FIELD_LABELS, **self.column_labels}
        if "year" in model._fields:
            self.column_list = ["title", "year", "language", "state", "revision", "changed"]
        self.column_list = [*model.assigned_fields, *self.column_list]
        super().__init__(model, **kwargs)

    @property
    def can_create(self) -> bool:
        """Only those who may add content see and use the create form."""
        return content.may_create(current_user)

    def get_query(self):
        """Return only the items the current user may view (the same rule as can())."""
        return self.model.objects(__raw__=permitted_query(current_user, VIEW, [self.type_name]))

    def scaffold_form(self):
        """Add the revision being edited (the stale-save guard); offer languages and other codes by name."""
        form_class = super().scaffold_form()
        form_class.edited_revision = HiddenField()
        # Flask-Admin builds choice fields from the model's codes, ignoring form_args.
        _replace(
            form_class,
            "language",
            SelectField(
                FIELD_LABELS["language"],
                choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                validators=[InputRequired()],
                default="de",
            ),
        )
        # Other coded choices by their titles in the reader's language.
        for name, titles in FIELD_CHOICES.items():
            if name in self.form_columns:
                field = self.model._fields[name]
                if isinstance(field, ListField):
                    # Several codes (a company's interests): a box each.
                    chooser = SelectMultipleField(
                        FIELD_LABELS[name],
                        choices=list(titles.items()),
                        widget=ListWidget(prefix_label=False),
                        option_widget=CheckboxInput(),
                    )
                else:
                    chooser = SelectField(FIELD_LABELS[name], choices=list(titles.items()), default=field.default)
                _replace(form_class, name, chooser)
        return form_class

    def on_form_prefill(self, form, id):
        """Remember which revision the form shows (and, for a translation, which revision of its source)."""
        item = self.get_one(id)
        form.edited_revision.data = item.revision if item else ""
        if hasattr(form, "source_revision"):
            source = source_of(item) if item else None
            form.source_revision.data = source.revision if source else ""

    def edit_form(self, obj=None):
        """A translation's form also carries the source revision shown beside it and the "brought up to date" box."""
        if obj is None or not obj.translation_of:
            return super().edit_form(obj)
        base = self._edit_form_class
        if getattr(self, "_translation_form_base", None) is not base:
            self._translation_form_base = base
            self._translation_form_class = type(
                "TranslationForm",
                (base,),
                {"source_revision": HiddenField(), "source_caught_up": BooleanField(default=False)},
            )
        return self._translation_form_class(get_form_data(), obj=obj)

    def load_item(self, item_id) -> Content:
        """Return the item `item_id` if the user may view it (get_one asks the list query); else NotFound."""
        item = self.get_one(item_id) if isinstance(item_id, str) and ObjectId.is_valid(item_id) else None
        if item is None:
            raise NotFound(_("No such item."))
        g.admin_item = item
        return item

    def refusal_page(self, refusal):
        """Show the item the refusal concerns (reloaded) with the message; the list if there is none."""
        item = g.pop("admin_item", None)
        reloaded = self.get_one(str(item.pk)) if item is not None else None
        if reloaded is None:
            return super().refusal_page(refusal) if refusal.status != 404 else self.render("admin/refused.html")
        return self._item_page(reloaded)

    def row_allows(self, action: str, row) -> bool:
        """Offer a list row's Edit and Delete only where the item's state lets the user do them."""
        allowed = {"edit": content.may_edit, "delete": content.may_delete}.get(action)
        return allowed(current_user, row) if allowed else True

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        """Edit where the state allows it; otherwise show the item's page (and refuse posts)."""
        item_id = get_mdict_item_or_list(request.args, "id")
        item = self.load_item(item_id) if item_id else None
        if item is not None and not content.may_edit(current_user, item):
            if request.method == "POST":
                refuse_unless(content.may_edit(current_user, item), current_user, item, "modify")
            return redirect(url_for(".workflow_view", id=str(item.pk)))
        if item is not None and request.method == "GET" and locks.held_by_other(current_user, item):
            holder, since = locks.lock_holder(item)
            flash(
                _(
                    "Being edited by %(user)s since %(since)s UTC; saving over their work is refused, not silent.",
                    user=holder.email,
                    since=since.strftime("%H:%M"),
                ),
                "warning",
            )
        return super().edit_view()

    def render(self, template, **kwargs):
        """Give the edit page the item's workflow panel, and a translation's form its source beside its fields."""
        model = kwargs.get("model")
        if model is not None and template == self.edit_template:
            kwargs.update(workflow_panel(model))
            form = kwargs.get("form")
            if model.translation_of and form is not None and hasattr(form, "source_revision"):
                kwargs["source"] = self._source_beside(model, form)
        return super().render(template, **kwargs)

    def _source_beside(self, model, form) -> dict | None:
        seen = str(form.source_revision.data or "")
        panel = source_panel(current_user, model, int(seen) if seen.isdigit() and len(seen) < 10 else None)
        if panel is not None:
            form.source_revision.data = panel["up_to"]
            form.source_caught_up.label.text = _(
                "Brought up to date: this translation now renders revision %(number)s of the source",
                number=panel["up_to"],
            )
        return panel

    @expose("/workflow/")
    def workflow_view(self):
        """Show an item's fields, state, open steps, history and diagram (for whoever may view it)."""
        return self._item_page(self.load_item(request.args.get("id", "")))

    def _item_page(self, item):
        may_download = can(current_user, DOWNLOAD, item)
        names = [*type(item).assigned_fields, *(n for n in type(item).editable_fields if n != "body")]
        return self.render(
            "admin/content/workflow.html",
            model=item,
            fields=[(str(FIELD_LABELS.get(name, name)), shown_value(item, name)) for name in names],
            can_modify=content.may_edit(current_user, item),
            may_steal_lock=locks.may_steal_lock(current_user, item),
            revisions=list(reversed(revisions_of(item))),
            attachments=[(a, url, view_url(a, url)) for a, url in _with_urls(Attachment.objects(item=item.pk))],
            versions=[(v, version_links(v)) for v in reversed(versions_of(item))] if may_download else [],
            can_attach=attachments.may_attach(current_user, item),
            can_change_attachments=attachments.may_change_attachments(current_user, item),
            can_carry_over=attachments.may_carry_over(current_user, item),
            can_check_out=working_copies.may_check_out(current_user, item),
            can_schedule=scheduling.may_schedule(current_user, item),
            released=has_flag(item.type_name, item.state, "released"),
            membership=membership_panel(item),
            may_compile_report=reports.may_compile_report(current_user, item),
            **workflow_panel(item),
            **translation_panel(item),
        )

    @expose("/lock/", methods=("POST",))
    @item_action
    def lock_view(self, item):
        """Take the edit lock (or, where allowed, take it over) and open the form."""
        steal = request.form.get("steal") == "1"
        held = locks.lock_holder(item)
        locks.take_lock(current_user, item, steal=steal)
        message = (
            _("You took over the edit lock of %(user)s.", user=held[0].email)
            if steal and held
            else _("You are editing this item; others see that until you save.")
        )
        return message, url_for(".edit_view", id=str(item.pk))

    @expose("/translate/", methods=("POST",))
    @item_action
    def translate_view(self, item):
        """Create the item's translation into the chosen language and open it for editing."""
        chosen = attachments.chosen_for_carrying(current_user, item, request.form.getlist("attachment"))
        draft = translations.translate(current_user, item, request.form.get("language", ""))
        attachments.carry_over(current_user, chosen, draft)
        message = _("Translation created as a draft, pre-filled with the source text: translate it and save.")
        return message, url_for(".edit_view", id=str(draft.pk))

    @expose("/fire-group/", methods=("POST",))
    @item_action
    def fire_group_view(self, item):
        """Fire one transition on every language of the item's group, all or none."""
        group = translations.group_items(current_user, item.translation_group)
        moved = translations.fire_group(current_user, group, request.form.get("transition", ""), request.form.to_dict())
        state = next(member for member in moved if member.pk == item.pk).state
        return _("Done for every language: now “%(state)s”.", state=state_title(item.type_name, state)), None

    @expose("/checkout/", methods=("POST",))
    @item_action
    def checkout_view(self, item):
        """Start a working copy of a published item and open it for editing."""
        copy = working_copies.check_out(current_user, item)
        message = _("Working copy created: the published version stays online until this one is published.")
        return message, url_for(".edit_view", id=str(copy.pk))

    @expose("/schedule/", methods=("POST",))
    @item_action
    def schedule_view(self, item):
        """Set the publication and expiry times (UTC) the scheduler fires."""
        try:
            times = [
                datetime.fromisoformat(request.form[name]) if request.form.get(name) else None
                for name in ("publish_at", "expire_at")
            ]
        except ValueError:
            raise NotPossible(_("Give times like 2027-01-15T09:00.")) from None
        scheduling.schedule(current_user, item, *times)
        return _("Schedule saved."), None

    @expose("/upload/", methods=("POST",))
    @item_action
    def upload_view(self, item):
        """Attach a file from the item page (the same checks as the API)."""
        attachment = attachments.add_attachment(
            current_user, item, request.files.get("file"), current_app.config["CMS_MAX_UPLOAD_BYTES"]
        )
        return _("Attached: %(name)s", name=attachment.name), None

    @expose("/compile-report/", methods=("POST",))
    @item_action
    def compile_report_view(self, item):
        """Render a report's PDF from the data of its period and attach it in place of the earlier one."""
        compiled = reports.compile_report(current_user, item)
        return _("Report compiled: %(name)s", name=compiled.name), None

    @expose("/remove-attachment/", methods=("POST",))
    @item_action
    def remove_attachment_view(self, item):
        """Remove an attachment of a modifiable item (a new revision; published versions keep theirs)."""
        removed = attachments.remove_attachment(current_user, item, request.form.get("attachment", ""))
        return _("Attachment removed: %(name)s", name=removed.name), None

    @expose("/replace-attachment/", methods=("POST",))
    @item_action
    def replace_attachment_view(self, item):
        """Replace an attachment of a modifiable item by an upload (checked as any upload; a new revision)."""
        old, new = attachments.replace_attachment(
            current_user,
            item,
            request.form.get("attachment", ""),
            request.files.get("file"),
            current_app.config["CMS_MAX_UPLOAD_BYTES"],
        )
        return _("Attachment “%(old)s” replaced by “%(new)s”", old=old.name, new=new.name), None

    @expose("/restore/", methods=("POST",))
    @item_action
    def restore_view(self, item):
        """Save an old revision as the item's next revision."""
        number = request.form.get("revision", "")
        if not number.isdigit() or len(number) > 9:
            raise NotFound(_("No such revision."))
        content.restore_revision(current_user, item, int(number))
        return _("Revision %(number)s restored as a new revision.", number=number), None

    @expose("/fire/", methods=("POST",))
    @item_action
    def fire_view(self, item):
        """Fire a transition from the buttons, with the inputs its needs read from the form."""
        stored = engine.fire(current_user, item, request.form.get("transition", ""), request.form.to_dict())
        return _("Done: the item is now “%(state)s”.", state=state_title(stored.type_name, stored.state)), None

    @expose("/remind/", methods=("POST",))
    @item_action
    def remind_view(self, item):
        """Remind the consulted cities whose decision is missing (recorded; no mail is sent by the CMS yet)."""
        reminder = consents.send_reminder(current_user, item)
        return _("Reminder recorded for %(count)s cities.", count=len(reminder.cities)), None

    @expose("/declaration/", methods=("POST",))
    @item_action
    def declaration_view(self, item):
        """Upload the declaration the new member city signed; the application is then signed."""
        stored = membership.record_declaration(
            current_user, item, request.files.get("file"), current_app.config["CMS_MAX_UPLOAD_BYTES"]
        )
        return _("Done: the item is now “%(state)s”.", state=state_title(stored.type_name, stored.state)), None

    @expose("/notification/", methods=("POST",))
    @item_action
    def notification_view(self, item):
        """Write the formal notification letter (a PDF in the city's languages) and record it as sent."""
        stored = membership.send_notification(current_user, item)
        return _("Done: the item is now “%(state)s”.", state=state_title(stored.type_name, stored.state)), None

    @expose("/compare/")
    def compare_view(self):
        """Show what changed between two revisions of an item, field by field."""
        item = self.load_item(request.args.get("id", ""))
        numbers = [request.args.get(key, "") for key in ("a", "b")]
        if not all(number.isdigit() and len(number) < 10 for number in numbers):
            raise NotFound(_("No such revision."))
        a, b = (revision_of(item, int(number)) for number in numbers)
        if a is None or b is None:
            raise NotFound(_("No such revision."))
        return self.render(
            "admin/content/compare.html",
            model=item,
            a=a,
            b=b,
            differences=compare(a, b),
            labels={name: str(label) for name, label in FIELD_LABELS.items()},
        )

    def _copy_form(self, form, item) -> None:
        for name in type(item).editable_fields:
            if name in form._fields:
                form._fields[name].populate_obj(item, name)

    def create_with_operation(self, form):
        """Create through the operations layer: owner, initial state and revision are set there."""
        item = content.new_item(current_user, self.type_name)
        self._copy_form(form, item)
        return content.create_item(current_user, item)

    def update_with_operation(self, form, model) -> None:
        """Save as the next revision of the one the form was opened at (a stale form is refused, input kept)."""
        try:
            expected = int(form.edited_revision.data)
        except (TypeError, ValueError):
            raise NotPossible(_("The form is missing the revision it was opened at; reload the item.")) from None
        self._copy_form(form, model)
        if getattr(form, "source_caught_up", None) is not None and form.source_caught_up.data:
            seen = str(form.source_revision.data or "")
            translations.confirm_source(current_user, model, int(seen) if seen.isdigit() and len(seen) < 10 else None)
        content.save_changes(current_user, model, expected)

    def delete_with_operation(self, model) -> None:
        """Delete where the state's permission map allows it."""
        content.delete_item(current_user, model)
