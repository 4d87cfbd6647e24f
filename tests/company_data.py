"""A small company database like the demo's: companies and cooperation projects, published and draft.

Used by the exports', the report's and the dashboard's tests. The drafts are
there to be left out: a member never gets them, a report never counts them.
"""

from datetime import date, datetime

from content_types.company import StageChange
from tests.workflow_helpers import force_state


def _history(*changes):
    return [StageChange(stage=stage, since=datetime.fromisoformat(since)) for stage, since in changes]


def make_company_database(create_item, city) -> dict:
    """Store the companies and projects; return them by short name."""
    aachen, foshan, wuppertal, hefei = (city(name) for name in ("Aachen", "Foshan", "Wuppertal", "Hefei"))
    made = {}

    def company(key, state, **fields):
        item = create_item("company", **fields)
        made[key] = force_state(item, state) if state != "draft" else item

    def project(key, state, **fields):
        item = create_item("cooperation_project", **fields)
        made[key] = force_state(item, state) if state != "draft" else item

    company(
        "aachen_drive",
        "published",
        title="Aachener Antriebstechnik GmbH",
        name_en="Aachen Drive Technology",
        name_zh="亚琛驱动技术",
        city=aachen,
        sector="C29.3",
        size="medium",
        products=["Getriebe", "E-Achsen"],
        interests=["sales_partners", "joint_venture"],
        website="https://antriebe.example",
        contact_person="Erika Muster",
        contact_mail="erika@antriebe.example",
        contact_phone="+49 241 432-0",
        public=True,
    )
    company(
        "foshan_parts",
        "published",
        title="佛山汽车零部件有限公司",
        name_de="Foshan Autoteile",
        city=foshan,
        sector="C29.3",
        size="large",
        interests=["suppliers", "technology_sought"],
        contact_person="李伟",
        contact_mail="li.wei@parts.example",
    )
    company(
        "wuppertal_machines",
        "published",
        title="Wuppertaler Maschinenbau AG",
        city=wuppertal,
        sector="C28",
        size="small",
        interests=["investment_sought"],
    )
    company("hefei_energy", "published", title="合肥新能源科技", city=hefei, sector="C27", size="medium")
    company(
        "secret_draft",
        "draft",
        title="Geheime Entwurf GmbH",
        city=aachen,
        sector="C29.3",
        size="micro",
        contact_mail="geheim@entwurf.example",
    )
    project(
        "drives_for_foshan",
        "published",
        title="Antriebe für Foshan",
        cooperation="joint_venture",
        stage="running",
        german_city=aachen,
        chinese_city=foshan,
        german_companies=[made["aachen_drive"]],
        chinese_companies=[made["foshan_parts"]],
        volume=12_000_000,
        currency="EUR",
        started_on=date(2026, 3, 1),
        source="GTAI",
        stage_history=_history(
            ("idea", "2025-11-10"), ("talks", "2026-01-15"), ("agreed", "2026-03-01"), ("running", "2026-05-01")
        ),
    )
    project(
        "machines_for_hefei",
        "published",
        title="Maschinen für Hefei",
        cooperation="trade",
        stage="talks",
        german_city=wuppertal,
        chinese_city=hefei,
        german_companies=[made["wuppertal_machines"]],
        chinese_companies=[made["hefei_energy"]],
        volume=800_000,
        currency="EUR",
        started_on=date(2026, 2, 1),
        stage_history=_history(("idea", "2026-02-01"), ("talks", "2026-07-01")),
    )
    project(
        "battery_research",
        "published",
        title="Batterieforschung Aachen–Hefei",
        cooperation="research",
        stage="idea",
        german_city=aachen,
        chinese_city=hefei,
        # A draft company on a published project: named to staff only.
        german_companies=[made["aachen_drive"], made["secret_draft"]],
        chinese_companies=[made["hefei_energy"]],
        volume=2_500_000,
        currency="CNY",
        stage_history=_history(("idea", "2026-09-10")),
    )
    project(
        "secret_project",
        "draft",
        title="Geheimprojekt",
        cooperation="investment",
        stage="agreed",
        german_city=aachen,
        chinese_city=foshan,
        german_companies=[made["secret_draft"]],
        volume=99_999_999,
        currency="EUR",
        started_on=date(2026, 6, 1),
        stage_history=_history(("agreed", "2026-06-01")),
    )
    return made
