"""Demo data: one account per role and a few realistic alliance documents."""

from datetime import date

from cms import operations
from cms.accounts import create_account
from content_types import Circular, Concept, Content, Meeting, MemberCity, Mou, News, User, WorkPlan
from workflows import engine

# Shown by `cms demo`; strong enough for the password policy, and only for a demo.
DEMO_PASSWORD = "Allianz-Demo-2026!"
DEMO_USERS = (
    ("admin@alliance.example", "Alex Admin", ["admin"], None),
    ("editor@alliance.example", "Erika Editor (Sekretariat)", ["editor"], None),
    ("reviewer@alliance.example", "Rui Reviewer", ["reviewer"], None),
    ("approver@alliance.example", "Anna Approver", ["approver"], None),
    ("member.foshan@alliance.example", "Li Wei (Foshan)", ["member"], "Foshan"),
    ("member.aachen@alliance.example", "Jana Becker (Aachen)", ["member"], "Aachen"),
)

# The autumn meeting's title: its presence means the demo documents exist.
DEMO_MARKER = "Halbjahrestreffen 2/2026 in Aachen"

CONCEPT_BODY = (
    "<h2>I. Gründungshintergrund</h2><p>Anlässlich der Spitzenkonferenz „Made in China 2025 meets deutsche "
    "Industrie 4.0“ im September 2015 in Foshan wurde die Etablierung einer Chinesisch-Deutschen "
    "Industriestädteallianz angeregt, um bedeutende Industriestandorte beider Länder miteinander zu vernetzen.</p>"
    "<h2>III.2 Verfahren</h2><p>Das Halbjahrestreffen findet wechselseitig in China im ersten Halbjahr und in "
    "Deutschland im zweiten Halbjahr statt.</p>"
)


def create_demo_users() -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; return (e-mail, role) of all of them."""
    logins = []
    for email, name, roles, city_name in DEMO_USERS:
        if User.objects(email=email).first() is None:
            city = MemberCity.find_by_name(city_name) if city_name else None
            create_account(email, DEMO_PASSWORD, roles, name, city)
        logins.append((email, roles[0]))
    return logins


def _create(editor, cls, fields):
    item = operations.new_item(editor, cls.type_name)
    for name, value in fields.items():
        setattr(item, name, value)
    return operations.save_new_item(editor, item)


def _users():
    return {
        role: User.objects.get(email=email)
        for email, _name, (role,), _city in DEMO_USERS
        if role in ("editor", "reviewer", "approver")
    }


def create_demo_documents() -> int:
    """Create the demo documents once, moved through their workflows by the demo staff; return how many."""
    if Content.objects(title=DEMO_MARKER).first() is not None:
        return 0
    staff = _users()
    editor, reviewer, approver = staff["editor"], staff["reviewer"], staff["approver"]
    spring = _create(
        editor,
        Meeting,
        {
            "title": "Halbjahrestreffen 1/2026 in Foshan",
            "language": "de",
            "year": 2026,
            "half": 1,
            "host_city": MemberCity.find_by_name("Foshan"),
            "starts_on": date(2026, 4, 20),
            "ends_on": date(2026, 4, 21),
            "location": "Chinesisch-Deutsche Industrie Service Zone",
            "public": True,
            "agenda_items": ["Memorandum of Understanding", "Arbeitskonzept", "Unternehmensdatenbank"],
        },
    )
    autumn = _create(
        editor,
        Meeting,
        {
            "title": DEMO_MARKER,
            "language": "de",
            "year": 2026,
            "half": 2,
            "host_city": MemberCity.find_by_name("Aachen"),
            "starts_on": date(2026, 11, 26),
            "ends_on": date(2026, 11, 27),
            "location": "Rathaus Aachen",
            "public": True,
            "agenda_items": ["Arbeitsplan 2027", "Beitrittsanträge", "Gastgeberstädte 2027"],
        },
    )
    approved = []
    for cls, fields in (
        (
            Concept,
            {
                "title": "Arbeitskonzept der Chinesisch-Deutschen Industriestädteallianz (2016)",
                "language": "de",
                "body": CONCEPT_BODY,
                "public": True,
            },
        ),
        (
            Mou,
            {
                "title": "Memorandum of Understanding der Chinesisch-Deutschen Industriestädteallianz",
                "language": "de",
                "signed_on": date(2016, 4, 25),
                "body": "<p>Im gegenseitigen Interesse, zur Förderung der wirtschaftlichen Entwicklung und zur "
                "Festigung der chinesisch-deutschen Freundschaft ...</p>",
            },
        ),
    ):
        item = engine.fire(editor, _create(editor, cls, fields), "submit")
        approved.append(engine.fire(reviewer, item, "accept", meeting_id=str(spring.pk)))
    spring = engine.fire(editor, engine.fire(editor, spring, "announce"), "hold")
    for item in approved:
        engine.fire(approver, engine.fire(approver, Content.objects.get(pk=item.pk), "approve"), "publish")
    engine.fire(editor, autumn, "announce")
    _create(
        editor,
        WorkPlan,
        {
            "title": "Arbeitsplan 2027",
            "language": "de",
            "year": 2027,
            "period_start": date(2027, 1, 1),
            "period_end": date(2027, 12, 31),
            "topics": ["Industrie 4.0 in mittelständischen Unternehmen", "Wasserstoff und Mobilität"],
            "projects": ["Unternehmensdatenbank für Investitionszusammenarbeit", "Delegationsreise Foshan"],
            "body": "<p>Entwurf des Sekretariats mit den deutschen Kontaktstellen.</p>",
        },
    )
    _create(
        editor,
        Circular,
        {
            "title": "Rundschreiben: Einladung zum Halbjahrestreffen in Aachen",
            "language": "de",
            "subject": "Halbjahrestreffen im zweiten Halbjahr 2026",
            "body": "<p>Das Sekretariat lädt alle Mitgliedsstädte zum Halbjahrestreffen am 26. und 27. November 2026 "
            "in Aachen ein.</p>",
        },
    )
    news = _create(
        editor,
        News,
        {
            "title": "Halbjahrestreffen in Aachen angekündigt",
            "language": "de",
            "public": True,
            "summary": "Das zweite Halbjahrestreffen 2026 findet in Aachen statt.",
            "body": "<p>Die Delegationen der Mitgliedsstädte treffen sich am 26. November.</p>",
        },
    )
    engine.fire(reviewer, engine.fire(editor, news, "submit"), "publish")
    return Content.objects.count()
