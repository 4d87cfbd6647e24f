"""Mail: the outbox every message is written to first, the sender that delivers it, and who is told what."""

from flask_mail import Mail

from cms.mail import newsletter, notifications

mail = Mail()


def init_app(app) -> None:
    """Configure flask-mail from the app's settings and start listening for the events that cause mail."""
    mail.init_app(app)
    notifications.init_app(app)
    newsletter.init_app(app)
