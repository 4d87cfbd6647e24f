"""Absolute links for mail: built against the configured site address, never the request's Host header."""

from urllib.parse import urlsplit

from flask import current_app


def absolute(endpoint: str, **values) -> str:
    """Return the full URL of `endpoint` at CMS_SITE_URL (works outside requests: the sender, the scheduler)."""
    site = urlsplit(current_app.config["CMS_SITE_URL"])
    # A request's Host header is the client's to choose; a link in a mail must not be (host-header injection).
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)
