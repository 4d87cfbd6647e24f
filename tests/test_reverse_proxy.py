"""deploy/nginx.conf in front of the CMS: public published files cached, member-only ones never."""

import os
import re
import shutil
import signal
import socket
import subprocess
import uuid

import pytest
import requests

from content_types import PublishedVersion
from deploy import local_nginx
from tests.conftest import csrf_token_from
from tests.workflow_helpers import force_state
from workflows import engine

needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light), so no proxy to test"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxy(site, tmp_path):
    """nginx with deploy/nginx.conf on a free loopback port in front of the test app; stopped afterwards."""
    port = _free_port()
    process = local_nginx.start(tmp_path / "nginx", port, site.removeprefix("http://"))
    yield f"http://127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _version_file(version) -> str:
    return f"/versions/{version.pk}/v{version.number}/0/{version.files[0].sha256[:16]}"


def _get(url: str, **kwargs) -> requests.Response:
    return requests.get(url, timeout=30, allow_redirects=False, **kwargs)


@needs_nginx
def test_a_public_file_is_fetched_from_the_cms_once_and_then_served_by_the_proxy(proxy, users, create_item):
    news = create_item("news", owner=users["editor"], title=f"Öffentlich {uuid.uuid4().hex}", public=True)
    engine.fire(users["reviewer"], force_state(news, "in_review"), "publish")
    url = proxy + _version_file(PublishedVersion.objects.get(item=news.pk))
    first, second = _get(url), _get(url)
    assert (first.status_code, first.headers["X-Cache-Status"]) == (200, "MISS")
    assert (second.status_code, second.headers["X-Cache-Status"]) == (200, "HIT")
    assert second.content == first.content and first.content.startswith(b"%PDF")
    assert second.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Accel-Expires" not in second.headers  # for the proxy only, never passed on to browsers


@needs_nginx
def test_a_member_only_file_is_never_kept_by_the_proxy(proxy, users, create_item):
    plan = create_item("work_plan", owner=users["editor"], title=f"Arbeitsplan {uuid.uuid4().hex}")
    engine.fire(users["approver"], force_state(plan, "approved", approved_revision=plan.revision), "publish")
    url = proxy + _version_file(PublishedVersion.objects.get(item=plan.pk))
    member = requests.Session()
    token = csrf_token_from(member.get(f"{proxy}/login", timeout=30).text)
    login = member.post(
        f"{proxy}/login",
        data={"email": users["member"].email, "password": "Vorsicht-Kamel-Tee-42", "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302
    for _ in range(2):
        answer = member.get(url, timeout=30)
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert answer.headers["X-Cache-Status"] == "MISS"  # asked the CMS each time
        assert answer.headers["Cache-Control"].startswith("private")
    stranger = _get(url)
    assert stranger.status_code == 404 and b"%PDF" not in stranger.content


@needs_nginx
def test_everything_else_goes_to_the_cms_uncached_with_the_original_host(proxy):
    answer = _get(f"{proxy}/api/v1/health", headers={"Host": "alliance.example.org"})
    assert answer.status_code == 200 and answer.json()
    assert "X-Cache-Status" not in answer.headers


def test_the_proxy_refuses_no_upload_the_cms_would_take(app):
    limit = re.search(r"^\s*client_max_body_size (\d+);", local_nginx.SITE.read_text(), re.MULTILINE)
    assert int(limit.group(1)) == app.config["MAX_CONTENT_LENGTH"]


def test_rendering_fails_when_a_replaced_line_is_missing(tmp_path):
    text = local_nginx.SITE.read_text()
    rendered = local_nginx.render_site(text, 8123, "127.0.0.1:9000", tmp_path)
    assert "listen 127.0.0.1:8123;" in rendered and "server 127.0.0.1:9000;" in rendered
    assert "/var/" not in re.sub(r"#.*", "", rendered)  # nothing of the production machine's folders is left
    with pytest.raises(ValueError, match="listen 80"):
        local_nginx.render_site(text.replace("listen 80;", "listen 8080;"), 8123, "127.0.0.1:9000", tmp_path)
