"""WSGI entry point: `gunicorn wsgi:app` or any WSGI server.

Several workers share one embedded database: the first to start owns it,
the others connect to it (see cms/embedded.py). Set CMS_MONGODB_URI for a
real MongoDB. Each worker starts the background threads (unless
CMS_BACKGROUND is off); their leases let one worker at a time run the
scheduler and one the mail sender (see cms/background.py). Don't use
gunicorn's --preload: the threads and the database connection would be made
in the master, before the workers are forked.
"""

from cms import background, create_app

app = create_app()
background.start(app)
