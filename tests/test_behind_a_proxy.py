"""Behind a reverse proxy (CMS_PROXIES) the client's address comes from X-Forwarded-For; otherwise never."""

import pytest

from tests.conftest import PASSWORD


def _token(client, user, password, address):
    return client.post(
        "/api/v1/auth/token",
        json={"email": user.email, "password": password},
        headers={"X-Forwarded-For": address},
    ).status_code


@pytest.mark.parametrize(("proxies", "other_address_may_log_in"), [(0, False), (1, True)])
def test_failed_logins_are_counted_per_client_address_the_proxy_names(
    app_factory, users, proxies, other_address_may_log_in
):
    client = app_factory(CMS_PROXIES=proxies).test_client()
    editor = users["editor"]
    for _ in range(3):  # the test configuration locks after 3 failures
        assert _token(client, editor, "wrong password", "198.51.100.7") == 401
    # Without a proxy the header is the client's own claim: ignored, so a forged one can't dodge the lock.
    expected = 200 if other_address_may_log_in else 401
    assert _token(client, editor, PASSWORD, "203.0.113.9") == expected
