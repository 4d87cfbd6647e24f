"""Search shows exactly what can(user, VIEW, item) allows: every type, state, public flag, audience and owner
against every kind of caller — in the hits and in the facet counts alike."""

import itertools
from datetime import date, datetime

import pytest

from cms import search
from cms.search.engine import FACETS
from content_types import Company, Content, MemberCity
from content_types.base import LocalRole
from tests.workflow_helpers import force_state
from workflows.definitions import workflow_for
from workflows.permissions import VIEW
from workflows.policy import can
from workflows.types import TYPES


def _defaults(type_name: str, number: int) -> dict:
    city = MemberCity.objects.get
    fields = {
        "work_plan": {"year": 2027},
        "meeting": {"year": 2016 + number % 80, "half": 2, "host_city": city(name_de="Aachen")},
        "membership_application": {"city": city(name_de="Bonn")},
        "withdrawal": {"city": city(name_de="Jiangmen")},
        "exclusion_motion": {"city": city(name_de="Jiangmen"), "reasons": "Pflichten nicht erfüllt"},
        "company": {"city": city(name_de="Aachen"), "sector": "C29.3", "contact_person": "Erika Geheim"},
        "cooperation_project": {"german_city": city(name_de="Aachen"), "chinese_city": city(name_de="Foshan")},
        "newsletter": {"period_start": date(2027, 1, 1), "period_end": date(2027, 1, 31)},
        "event": {"starts": datetime(2027, 4, 16, 10), "host_city": city(name_de="Foshan")},
        "cooperation_report": {"period_start": date(2027, 1, 1), "period_end": date(2027, 6, 30)},
    }
    return fields.get(type_name, {})


@pytest.fixture
def table(app, create_item, create_user, users, city):
    """Items of every type in every state, public and not, a circular for Foshan only and one for all;
    owned by a representative of Jiangmen, one of each kind shared with a guest."""
    owner = create_user("member", city_name="Jiangmen")
    guest = create_user("member", city_name="Zhuzhou")
    items = []
    counter = itertools.count()
    for type_name in TYPES:
        audiences = [[], [city("Foshan")]] if TYPES[type_name].cls.audience_field else [[]]
        for state, public, audience in itertools.product(
            [state["name"] for state in workflow_for(type_name)["states"]], (False, True), audiences
        ):
            number = next(counter)
            fields = _defaults(type_name, number)
            if audience:
                fields[TYPES[type_name].cls.audience_field] = audience
            item = create_item(type_name, owner=owner, title=f"Eintrag {number}", **fields)
            if number % 3 == 0:
                Content.objects(pk=item.pk).update_one(
                    set__local_roles=[LocalRole(user=guest, roles=["reviewer"])],
                    set__local_role_keys=[f"{guest.pk}:reviewer"],
                )
            items.append(force_state(item, state, public=public))
    callers = {
        "anonymous": None,
        **users,
        "owner": owner,
        "guest with a local role": guest,
        "representative of a requested city": create_user("member", city_name="Bonn"),
    }
    return items, callers


def test_search_finds_exactly_what_the_caller_may_view(app, table):
    items, callers = table
    with app.app_context():
        for name, user in callers.items():
            visible = {str(item.pk) for item in items if can(user, VIEW, item)}
            found = search.search(user, "Eintrag", {}, per_page=1000)
            assert {hit.id for hit in found.hits} == visible, name
            assert found.total == len(visible), name
            # The facets count nothing the caller may not see (a draft not even as a number).
            for facet in ("type", "state", "language"):
                assert sum(found.facets[facet].values()) == len(visible), (name, facet)
            by_state = {}
            for item in items:
                if str(item.pk) in visible:
                    by_state[item.state] = by_state.get(item.state, 0) + 1
            assert found.facets["state"] == by_state, name


def test_a_members_draft_is_never_found_by_other_members_not_even_counted(app, table):
    items, callers = table
    with app.app_context():
        for name in ("member", "member_b", "anonymous"):
            found = search.search(callers[name], "", {"state": "draft"}, per_page=1000)
            assert found.total == 0 and found.hits == [] and found.facets["state"] == {}, name


def test_a_companys_contact_is_searched_only_for_members_and_staff(app, table):
    items, callers = table
    with app.app_context():
        for item in items:
            if isinstance(item, Company) and item.state == "published":
                Content.objects(pk=item.pk).update_one(set__public=True)
        found = {name: search.search(callers[name], "Geheim", {}, per_page=1000) for name in callers}
        assert found["anonymous"].total == 0
        assert found["member"].total > 0 and found["editor"].total > 0
        # Nor does a snippet ever show it.
        assert all("Geheim" not in hit.preview for result in found.values() for hit in result.hits)


def test_the_facets_cover_the_fields_of_the_issue():
    assert {"type", "state", "language", "year", "city", "country", "sector", "interests", "stage"} <= set(FACETS)
