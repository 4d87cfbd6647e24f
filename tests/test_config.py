"""Configuration: every setting read from the environment as the type of its default; bad values refused at start."""

import pytest
from click.testing import CliRunner

from cms.cli import main
from cms.config import DEFAULTS, ConfigError, parse_setting


@pytest.mark.parametrize(
    "key, raw, expected",
    [
        ("CMS_MAX_PAGE_SIZE", "50", 50),
        ("CMS_LOGIN_MAX_FAILURES", " 7 ", 7),
        ("CMS_SECURE_COOKIES", "true", True),
        ("CMS_SECURE_COOKIES", "0", False),
        ("CMS_PAGE_CACHE_CHECK_SECONDS", "0.5", 0.5),
        ("CMS_MONGODB_URI", "mongodb://db.example/alliance", "mongodb://db.example/alliance"),
        ("CMS_LANGUAGES", "de, zh", ("de", "zh")),
        ("CMS_SOMETHING_NEW", "text", "text"),
    ],
)
def test_each_setting_is_parsed_as_its_default_s_type(key, raw, expected):
    assert parse_setting(key, raw) == expected


@pytest.mark.parametrize(
    "key, raw",
    [("CMS_MAX_PAGE_SIZE", "fifty"), ("CMS_SECURE_COOKIES", "maybe"), ("CMS_PAGE_CACHE_CHECK_SECONDS", "soon")],
)
def test_a_value_of_the_wrong_type_is_refused_with_its_name(key, raw):
    with pytest.raises(ConfigError, match=key):
        parse_setting(key, raw)


def test_every_setting_the_code_reads_has_a_default():
    assert DEFAULTS["CMS_PAGE_CACHE_CHECK_SECONDS"] > 0
    assert isinstance(DEFAULTS["CMS_MAX_PAGE_SIZE"], int)


def test_a_page_size_from_the_environment_is_used(app, app_factory, monkeypatch):
    monkeypatch.setenv("CMS_MAX_PAGE_SIZE", "50")
    configured = app_factory()
    assert configured.config["CMS_MAX_PAGE_SIZE"] == 50
    client = configured.test_client()
    assert client.get("/api/v1/content?per_page=50").status_code == 200
    assert client.get("/api/v1/content?per_page=51").status_code == 400


@pytest.mark.parametrize("key, raw", [("CMS_MAX_PAGE_SIZE", "0"), ("CMS_API_TOKEN_HOURS", "-1")])
def test_an_out_of_range_setting_stops_the_start(app_factory, monkeypatch, key, raw):
    monkeypatch.setenv(key, raw)
    with pytest.raises(ConfigError, match=key):
        app_factory()


def test_the_cms_command_says_what_is_wrong_without_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("CMS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CMS_MAX_PAGE_SIZE", "fifty")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code != 0
    assert "CMS_MAX_PAGE_SIZE must be a whole number" in result.output and "Traceback" not in result.output
