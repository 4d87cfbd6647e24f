"""Demo events (seed IV.2): a trade fair, a training, the Hefei meeting's visit to a host company, two delegations."""

from datetime import date, datetime

from cms.operations import content, translations
from cms.operations import events as event_operations
from content_types import Event, Meeting, MemberCity, User
from workflows import engine

# The trade fair's title: its presence means the demo events exist.
EVENTS_MARKER = "Hannover Messe 2027: Gemeinschaftsstand der Allianzstädte"

VISIT_ZH = {
    "title": "合肥半年度会议：参观东道企业",
    "location": "合肥新能源汽车产业园",
    "host_company": "合肥新能源汽车产业园区的一家电池制造企业",
    "body": "<p>代表团参观东道城市合肥的代表性企业，并就电动汽车供应链合作进行交流。</p>",
}


def create_demo_events() -> int:
    """Create the demo events once (published by the demo staff) and two delegations; return how many events."""
    if Event.objects(title=EVENTS_MARKER).first() is not None:
        return 0
    editor = User.objects.get(email="editor@alliance.example")
    reviewer = User.objects.get(email="reviewer@alliance.example")
    hefei_meeting = Meeting.objects(year=2027, half=1).first()
    made = [
        _event(
            editor,
            title=EVENTS_MARKER,
            event_kind="trade_fair",
            starts=datetime(2027, 4, 19, 9, 0),
            ends=datetime(2027, 4, 23, 18, 0),
            # Hannover is no member city: the time zone is named.
            time_zone="Europe/Berlin",
            location="Messegelände Hannover, Halle 17",
            registration_deadline=date(2027, 3, 15),
            body="<p>Unternehmen der Mitgliedsstädte präsentieren sich auf einem gemeinsamen Stand.</p>",
        ),
        _event(
            editor,
            title="Schulung: Schutz des geistigen Eigentums in China",
            event_kind="training",
            starts=datetime(2027, 3, 10, 9, 0),
            ends=datetime(2027, 3, 10, 16, 30),
            location="Chinesisch-Deutsche Industrie Service Zone",
            host_city=MemberCity.find_by_name("Foshan"),
            registration_deadline=date(2027, 3, 1),
            body="<p>Eine thematische Schulung für Unternehmen der Mitgliedsstädte.</p>",
        ),
    ]
    visit = _event(
        editor,
        title="Halbjahrestreffen Hefei: Besuch eines Gastgeberunternehmens",
        event_kind="meeting_programme",
        starts=datetime(2027, 4, 16, 14, 0),
        ends=datetime(2027, 4, 16, 17, 0),
        location="Industriepark für Elektromobilität Hefei",
        meeting=hefei_meeting,
        host_company="Ein Batteriehersteller im Industriepark für Elektromobilität",
        registration_deadline=date(2027, 3, 31),
        body="<p>Die Delegationen besuchen ein repräsentatives Unternehmen der Gastgeberstadt.</p>",
    )
    translation = translations.translate(editor, visit, "zh")
    for name, value in VISIT_ZH.items():
        setattr(translation, name, value)
    translation = content.save_changes(editor, translation, translation.revision)
    made += [visit, translation]
    for item in made:
        engine.fire(reviewer, engine.fire(editor, item, "submit"), "publish")
    visit = Event.objects.get(pk=visit.pk)
    # Registered by the secretariat, which may do so at any time (a demo started after the deadline works too).
    event_operations.save_delegation(
        editor,
        visit,
        MemberCity.find_by_name("Aachen"),
        [
            {"name": "Dr. Jana Becker", "function": "administration", "position": "Leiterin Wirtschaftsförderung"},
            {"name": "Thomas Krüger", "function": "companies", "position": "Geschäftsführer, Krüger Antriebstechnik"},
            {"name": "Prof. Lena Vogel", "function": "science", "position": "RWTH Aachen"},
        ],
    )
    event_operations.save_delegation(
        editor,
        visit,
        MemberCity.find_by_name("Foshan"),
        [
            {"name": "李伟", "function": "economic_development", "position": "佛山市投资促进局"},
            {"name": "陈静", "function": "politics", "position": "副市长"},
        ],
    )
    return len(made)


def _event(editor, **fields) -> Event:
    item = content.new_item(editor, Event.type_name)
    for name, value in {"language": "de", "public": True, **fields}.items():
        setattr(item, name, value)
    return content.create_item(editor, item)
