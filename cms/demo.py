"""Demo data: one account per role and a few realistic alliance documents."""

from datetime import date

from cms import operations
from cms.accounts import create_account
from content_types import Circular, Concept, Content, MemberCity, Mou, User, WorkPlan

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


def create_demo_documents() -> int:
    """Create the demo documents (once); return how many were added."""
    editor = User.objects(email="editor@alliance.example").first()
    added = 0
    documents = [
        (Concept, {"title": "Arbeitskonzept der Chinesisch-Deutschen Industriestädteallianz (2016)",
                   "language": "de", "body": CONCEPT_BODY}),
        (WorkPlan, {"title": "Arbeitsplan 2027", "language": "de", "year": 2027,
                    "period_start": date(2027, 1, 1), "period_end": date(2027, 12, 31),
                    "topics": ["Industrie 4.0 in mittelständischen Unternehmen", "Wasserstoff und Mobilität"],
                    "projects": ["Unternehmensdatenbank für Investitionszusammenarbeit", "Delegationsreise Foshan"],
                    "body": "<p>Entwurf des Sekretariats mit den deutschen Kontaktstellen.</p>"}),
        (Mou, {"title": "Memorandum of Understanding der Chinesisch-Deutschen Industriestädteallianz",
               "language": "de", "signed_on": date(2016, 4, 25),
               "body": "<p>Im gegenseitigen Interesse, zur Förderung der wirtschaftlichen Entwicklung und zur "
                       "Festigung der chinesisch-deutschen Freundschaft ...</p>"}),
        (Circular, {"title": "Rundschreiben: Einladung zum Halbjahrestreffen", "language": "de",
                    "subject": "Halbjahrestreffen im zweiten Halbjahr 2026",
                    "body": "<p>Das Sekretariat lädt alle Mitgliedsstädte zum Halbjahrestreffen ein.</p>"}),
    ]
    for cls, fields in documents:
        if Content.objects(title=fields["title"]).first() is not None:
            continue
        item = operations.new_item(editor, cls.type_name)
        for name, value in fields.items():
            setattr(item, name, value)
        operations.save_new_item(editor, item)
        added += 1
    return added
