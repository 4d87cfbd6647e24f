"""WSGI entry point: `gunicorn wsgi:app` or any WSGI server.

Several workers share one embedded database: the first to start owns it,
the others connect to it (see cms/embedded.py). Set CMS_MONGODB_URI for a
real MongoDB.
"""

from cms import create_app

app = create_app()
