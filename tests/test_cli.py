"""The `cms` command: init, create-user and demo against the test database."""

import pytest
from click.testing import CliRunner

from cms.cli import main
from content_types import Company, Content, Delegation, Meeting, MemberCity, User
from tests.conftest import PASSWORD


@pytest.fixture
def cli(app, monkeypatch):
    """Run `cms ...` with the test app's configuration taken from the environment."""
    monkeypatch.setenv("CMS_MONGODB_URI", app.config["CMS_MONGODB_URI"])
    monkeypatch.setenv("CMS_SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("CMS_DATA_DIR", app.config["CMS_DATA_DIR"])
    runner = CliRunner()

    def run(*args, env=None):
        return runner.invoke(main, list(args), env=env or {}, catch_exceptions=False)

    return run


def test_init_is_idempotent(cli):
    MemberCity.objects(name_de="Kassel").delete()
    first = cli("init")
    assert first.exit_code == 0 and "1 founding member cities added" in first.output
    second = cli("init")
    assert "0 founding member cities added (22 in all)" in second.output
    assert MemberCity.objects.count() == 22


@pytest.mark.parametrize("city_name", ["Osnabrück", "奥斯纳布吕克", "osnabrück"])
def test_create_user_finds_the_city_in_any_language(cli, city_name):
    result = cli(
        "create-user", "rep@test.example", "--role", "member", "--city", city_name, env={"CMS_PASSWORD": PASSWORD}
    )
    assert result.exit_code == 0, result.output
    assert User.objects.get(email="rep@test.example").city.name_de == "Osnabrück"


def test_create_user_prompts_for_the_password(cli):
    result = CliRunner().invoke(
        main, ["create-user", "prompt@test.example", "--role", "editor"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert User.objects.get(email="prompt@test.example").check_password(PASSWORD)


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["weak@test.example", "--role", "editor"], {"CMS_PASSWORD": "password1"}, "password"),
        (["city@test.example", "--role", "member", "--city", "Atlantis"], {"CMS_PASSWORD": PASSWORD}, "No member city"),
        (["nocity@test.example", "--role", "member"], {"CMS_PASSWORD": PASSWORD}, "needs a city"),
        (["role@test.example", "--role", "king"], {"CMS_PASSWORD": PASSWORD}, "Invalid value"),
    ],
)
def test_create_user_refuses_bad_input_with_a_message(cli, args, env, message):
    result = cli("create-user", *args, env=env)
    assert result.exit_code != 0 and message in result.output
    assert User.objects.count() == 0


def test_demo_creates_logins_and_documents_once(cli):
    result = cli("demo")
    assert result.exit_code == 0, result.output
    for role in ("admin", "editor", "reviewer", "approver", "member"):
        assert f"{role}@alliance.example" in result.output or role == "member"
    assert "member.foshan@alliance.example" in result.output
    documents = Content.objects.count()
    assert documents == 41 and User.objects.count() == 6
    # The company database: the secretariat's entries published, Foshan's proposal waiting in its review.
    companies = {
        item.title: item.state for item in Content.objects(_cls__in=["Content.Company", "Content.CooperationProject"])
    }
    assert len(companies) == 21 and companies.pop("佛山精密模具有限公司") == "in_review"
    assert set(companies.values()) == {"published"}
    assert {item.title: item.state for item in Content.objects if item.title not in companies} == {
        "Halbjahrestreffen 1/2026 in Foshan": "held",
        "Halbjahrestreffen 2/2026 in Aachen": "held",
        "Halbjahrestreffen 1/2027 in Hefei": "announced",
        "Arbeitskonzept der Chinesisch-Deutschen Industriestädteallianz (2016)": "published",
        "Memorandum of Understanding der Chinesisch-Deutschen Industriestädteallianz": "published",
        "Arbeitsplan 2027": "published",
        "2027年工作计划": "published",
        "An die Mitgliedsstädte: Arbeitsplan 2027": "published",
        "致各成员城市：2027年工作计划": "published",
        "Arbeitsplan 2028": "draft",
        "中德工业城市联盟工作方案（2016年）": "published",
        "中德工业城市联盟合作备忘录": "published",
        "Rundschreiben: Einladung zum Halbjahrestreffen in Aachen": "published",
        "通函：邀请参加亚琛半年度会议": "published",
        "Halbjahrestreffen in Aachen angekündigt": "published",
        "亚琛半年度会议已公布": "published",
        "佛山精密模具有限公司": "in_review",
        "Hannover Messe 2027: Gemeinschaftsstand der Allianzstädte": "published",
        "Schulung: Schutz des geistigen Eigentums in China": "published",
        "Halbjahrestreffen Hefei: Besuch eines Gastgeberunternehmens": "published",
        "合肥半年度会议：参观东道企业": "published",
    }
    mou = Content.objects.get(title__startswith="Memorandum")
    assert {item.language for item in Content.objects(translation_group=mou.translation_group)} == {"de", "zh"}
    assert Delegation.objects.count() == 2
    cli("demo")
    assert Content.objects.count() == documents and User.objects.count() == 6 and Delegation.objects.count() == 2
    foshan = User.objects.get(email="member.foshan@alliance.example")
    assert foshan.city.name_zh == "佛山" and foshan.language == "zh"
    # At scale: generated, published companies up to the number asked; none twice.
    assert "Generated companies added: 30" in cli("demo", "--companies", "30").output
    assert Content.objects.count() == documents + 30
    assert cli("demo", "--companies", "30").exit_code == 0 and Content.objects.count() == documents + 30
    generated = Company.objects(name_en__contains=" Company ").first()
    assert generated.state == "published" and generated.search_text
    assert cli("demo", "--companies", "-5").exit_code != 0


def test_the_demo_s_meetings_speak_three_languages(cli, client):
    assert cli("demo").exit_code == 0
    meetings = Meeting.objects
    assert meetings.count() == 3
    for meeting in meetings:
        assert meeting.title_zh and meeting.title_en, meeting.title
        assert len(meeting.agenda_items_zh) == len(meeting.agenda_items_en) == len(meeting.agenda_items)
        assert bool(meeting.location_zh) == bool(meeting.location_en) == bool(meeting.location)
    page = client.get("/zh/meetings/next").get_data(as_text=True)
    assert "2027年上半年半年度会议（合肥）" in page and 'class="fallback"' not in page


def test_the_demo_s_chinese_work_plan_rests_on_the_aachen_approval_and_the_founding_documents_on_2016(cli, api):
    assert cli("demo").exit_code == 0
    aachen = Content.objects.get(title="Halbjahrestreffen 2/2026 in Aachen")
    chinese = Content.objects.get(title="2027年工作计划")
    assert chinese.approved_meeting.pk == aachen.pk
    assert [step.transition for step in chinese.history] == ["submit", "certify", "publish"]  # no second meeting
    assert Content.objects(title="Halbjahrestreffen 1/2027 in Hefei", state="held").count() == 0
    from cms.demo import DEMO_PASSWORD

    login = {"email": "member.aachen@alliance.example", "password": DEMO_PASSWORD}
    token = api.client.post("/api/v1/auth/token", json=login).get_json()["token"]
    listed = api.client.get("/api/v1/content?year=2016", headers={"Authorization": f"Bearer {token}"}).get_json()
    founding = {item["title"] for item in listed["items"]}
    assert founding == {
        "Arbeitskonzept der Chinesisch-Deutschen Industriestädteallianz (2016)",
        "Memorandum of Understanding der Chinesisch-Deutschen Industriestädteallianz",
        "中德工业城市联盟工作方案（2016年）",
        "中德工业城市联盟合作备忘录",
    }
    page = api.client.get("/de/documents").get_data(as_text=True)
    assert "(2026)" not in page.split("Arbeitskonzept der", 1)[1][:200]
    assert "2016" in page.split("Arbeitskonzept der", 1)[1][:200]


def test_update_user_follows_the_same_rules_as_the_admin_and_the_api(cli, users):
    editor = users["editor"]
    refused = cli("update-user", editor.email, "--role", "member")
    assert refused.exit_code != 0 and "city: A member city representative needs a city." in refused.output
    assert User.objects.get(pk=editor.pk).roles == ["editor"]
    moved = cli("update-user", editor.email, "--role", "member", "--city", "亚琛")
    assert moved.exit_code == 0, moved.output
    stored = User.objects.get(pk=editor.pk)
    assert stored.roles == ["member"] and stored.city.name_de == "Aachen"
    weak = cli("update-user", editor.email, "--password", env={"CMS_PASSWORD": "password1"})
    assert weak.exit_code != 0 and "password" in weak.output
    assert cli("update-user", "nobody@test.example", "--inactive").exit_code != 0
    assert cli("update-user", editor.email, "--inactive").exit_code == 0
    assert User.objects.get(pk=editor.pk).active is False
