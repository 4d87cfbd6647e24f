"""Security headers on every response: CSP with per-request nonces, nosniff, no framing."""

import secrets

from flask import g


def csp_nonce() -> str:
    """Return this request's CSP nonce (for the few inline scripts Flask-Admin renders)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def add_security_headers(response):
    """Add CSP, nosniff, frame and referrer headers; keep pages with personal data out of caches."""
    nonce = csp_nonce()
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A response that sets its own (a sandboxed mail framed by the admin) keeps it; everything else is never framed.
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    """Register the header hook and the nonce for templates."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
