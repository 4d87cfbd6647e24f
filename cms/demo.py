"""Demo data: one account per role and a few realistic alliance documents."""

from datetime import date

from cms.demo_companies import create_demo_companies
from cms.demo_events import create_demo_events
from cms.operations import content, translations
from cms.operations.accounts import create_account
from content_types import Circular, Concept, Content, Meeting, MemberCity, Mou, News, User, WorkPlan
from workflows import engine

# Shown by `cms demo`; strong enough for the password policy, and only for a demo.
DEMO_PASSWORD = "Allianz-Demo-2026!"
# (e-mail, name, roles, city, language of the interface; None: from the browser)
DEMO_USERS = (
    ("admin@alliance.example", "Alex Admin", ["admin"], None, None),
    ("editor@alliance.example", "Erika Editor (Sekretariat)", ["editor"], None, None),
    ("reviewer@alliance.example", "Rui Reviewer", ["reviewer"], None, None),
    ("approver@alliance.example", "Anna Approver", ["approver"], None, None),
    ("member.foshan@alliance.example", "李伟", ["member"], "Foshan", "zh"),
    ("member.aachen@alliance.example", "Jana Becker", ["member"], "Aachen", "de"),
)

# The autumn meeting's title: its presence means the demo documents exist.
DEMO_MARKER = "Halbjahrestreffen 2/2026 in Aachen"

# Each demo meeting's title, venue and agenda in Chinese and English (by its German title).
MEETINGS_IN_OTHER_LANGUAGES = {
    "Halbjahrestreffen 1/2026 in Foshan": {
        "title_zh": "2026年上半年半年度会议（佛山）",
        "title_en": "Half-yearly meeting 1/2026 in Foshan",
        "location_zh": "中德工业服务区",
        "location_en": "China-Germany Industrial Service Zone",
        "agenda_items_zh": ["合作备忘录", "工作方案", "企业数据库"],
        "agenda_items_en": ["Memorandum of Understanding", "Work concept", "Company database"],
    },
    DEMO_MARKER: {
        "title_zh": "2026年下半年半年度会议（亚琛）",
        "title_en": "Half-yearly meeting 2/2026 in Aachen",
        "location_zh": "亚琛市政厅",
        "location_en": "Aachen City Hall",
        "agenda_items_zh": ["2027年工作计划", "入盟申请", "2027年东道主城市"],
        "agenda_items_en": ["Work plan 2027", "Membership applications", "Host cities 2027"],
    },
    "Halbjahrestreffen 1/2027 in Hefei": {
        "title_zh": "2027年上半年半年度会议（合肥）",
        "title_en": "Half-yearly meeting 1/2027 in Hefei",
        "agenda_items_zh": ["2027年工作计划中期报告", "入盟申请"],
        "agenda_items_en": ["Interim report on the work plan 2027", "Membership applications"],
    },
}

WORK_PLAN_ZH = {
    "title": "2027年工作计划",
    "topics": ["中小企业的工业4.0", "氢能与交通"],
    "projects": ["投资合作企业数据库", "佛山代表团考察"],
    "body": "<p>由秘书处与德方联络点共同制定。</p>",
}

CONCEPT_BODY = (
    "<h2>I. Gründungshintergrund</h2><p>Anlässlich der Spitzenkonferenz „Made in China 2025 meets deutsche "
    "Industrie 4.0“ im September 2015 in Foshan wurde die Etablierung einer Chinesisch-Deutschen "
    "Industriestädteallianz angeregt, um bedeutende Industriestandorte beider Länder miteinander zu vernetzen.</p>"
    "<h2>III.2 Verfahren</h2><p>Das Halbjahrestreffen findet wechselseitig in China im ersten Halbjahr und in "
    "Deutschland im zweiten Halbjahr statt.</p>"
)


CONCEPT_ZH = {
    "title": "中德工业城市联盟工作方案（2016年）",
    "body": "<h2>一、成立背景</h2><p>2015年9月在佛山举行的“中国制造2025对接德国工业4.0”高峰会议上，"
    "各方倡议成立中德工业城市联盟，将两国重要的工业城市联系起来。</p>"
    "<h2>三、2 工作程序</h2><p>半年度会议轮流举行：上半年在中国，下半年在德国。</p>",
}
MOU_ZH = {
    "title": "中德工业城市联盟合作备忘录",
    "body": "<p>为了双方共同利益，促进经济发展，巩固中德友谊……</p>",
}
CIRCULAR_ZH = {
    "title": "通函：邀请参加亚琛半年度会议",
    "subject": "2026年下半年半年度会议",
    "body": "<p>秘书处诚邀各成员城市参加2026年11月26日至27日在亚琛举行的半年度会议。</p>",
}
NEWS_ZH = {
    "title": "亚琛半年度会议已公布",
    "summary": "2026年第二次半年度会议将在亚琛举行。",
    "body": "<p>各成员城市代表团将于11月26日会面。</p>",
}


def create_demo_users() -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; return (e-mail, role) of all of them."""
    logins = []
    for email, name, roles, city_name, language in DEMO_USERS:
        if User.objects(email=email).first() is None:
            city = MemberCity.find_by_name(city_name) if city_name else None
            create_account(email, DEMO_PASSWORD, roles, name, city, language=language)
        logins.append((email, roles[0]))
    return logins


def _create(editor, cls, fields):
    item = content.new_item(editor, cls.type_name)
    if cls is Meeting:
        fields = fields | MEETINGS_IN_OTHER_LANGUAGES.get(fields["title"], {})
    for name, value in fields.items():
        setattr(item, name, value)
    return content.create_item(editor, item)


def _users():
    return {
        role: User.objects.get(email=email)
        for email, _name, (role,), _city, _language in DEMO_USERS
        if role in ("editor", "reviewer", "approver")
    }


def _foshans_representative() -> User | None:
    return User.objects(email="member.foshan@alliance.example").first()


def create_demo_documents() -> int:
    """Create the demo documents once, moved through their workflows by the demo staff; return how many."""
    staff = _users()
    editor, reviewer, approver = staff["editor"], staff["reviewer"], staff["approver"]
    if Content.objects(title=DEMO_MARKER).first() is not None:
        # The company database and the events came later: a demo site made before them gets them now.
        return create_demo_companies(editor, reviewer, _foshans_representative()) + create_demo_events()
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
                "dated": date(2016, 2, 26),
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
        item = _create(editor, cls, fields)
        # The founding documents exist in German and Chinese, released together.
        group = [item, _translated(editor, item, "zh", CONCEPT_ZH if cls is Concept else MOU_ZH)]
        for member in group:
            member = engine.fire(editor, member, "submit")
            approved.append(engine.fire(reviewer, member, "accept", {"meeting_id": str(spring.pk)}))
    spring = engine.fire(editor, engine.fire(editor, spring, "announce"), "hold")
    for item in approved:
        engine.fire(approver, Content.objects.get(pk=item.pk), "approve")
    # Each founding document and its translation are released together, once per group.
    for group_id in dict.fromkeys(item.translation_group for item in approved):
        translations.fire_group(approver, translations.group_items(approver, group_id), "publish")
    autumn = engine.fire(editor, autumn, "announce")
    plan = _create(
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
            "body": "<p>Vom Sekretariat mit den deutschen Kontaktstellen erarbeitet.</p>",
        },
    )
    # The Aachen meeting approves the 2027 plan; publishing it sends it to every member city as a circular.
    plan = engine.fire(reviewer, engine.fire(editor, plan, "submit"), "accept", {"meeting_id": str(autumn.pk)})
    engine.fire(editor, autumn, "hold")
    plan = engine.fire(approver, engine.fire(approver, plan, "approve"), "publish")
    # Its Chinese translation renders the approved text: certified by a reviewer, no second meeting.
    chinese = engine.fire(editor, _translated(editor, plan, "zh", WORK_PLAN_ZH), "submit")
    engine.fire(approver, engine.fire(reviewer, chinese, "certify"), "publish")
    spring_2027 = _create(
        editor,
        Meeting,
        {
            "title": "Halbjahrestreffen 1/2027 in Hefei",
            "language": "de",
            "year": 2027,
            "half": 1,
            "host_city": MemberCity.find_by_name("Hefei"),
            "starts_on": date(2027, 4, 15),
            "ends_on": date(2027, 4, 16),
            "public": True,
            "agenda_items": ["Zwischenbericht zum Arbeitsplan 2027", "Beitrittsanträge"],
        },
    )
    engine.fire(editor, spring_2027, "announce")
    _create(
        editor,
        WorkPlan,
        {
            "title": "Arbeitsplan 2028",
            "language": "de",
            "year": 2028,
            "body": "<p>Entwurf des Sekretariats.</p>",
        },
    )
    circular = _create(
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
    # The invitation goes out in both languages, each reviewed and sent on its own.
    for item in (
        circular,
        _translated(editor, circular, "zh", CIRCULAR_ZH),
        news,
        _translated(editor, news, "zh", NEWS_ZH),
    ):
        engine.fire(reviewer, engine.fire(editor, item, "submit"), "publish")
    create_demo_companies(editor, reviewer, _foshans_representative())
    create_demo_events()
    return Content.objects.count()


def _translated(editor, source, language: str, fields: dict):
    translation = translations.translate(editor, source, language)
    for name, value in fields.items():
        setattr(translation, name, value)
    return content.save_changes(editor, translation, translation.revision)
