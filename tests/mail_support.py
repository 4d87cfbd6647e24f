"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be stopped and started."""

import email
import socket
from email import policy

from aiosmtpd.controller import Controller

# The context of a "step taken" mail, for tests that write one to the outbox directly.
STEP = {
    "title": "Arbeitsplan 2027",
    "type_title": "Arbeitsplan",
    "step_title": "Zurückgeben",
    "state_title": "Entwurf",
    "actor_name": "reviewer@test.example",
    "comment": "",
    "link": "http://127.0.0.1:5000/admin/",
}


class Inbox:
    """aiosmtpd handler: keeps each accepted message; answers `refuse` (e.g. "451 busy") instead while it is set."""

    def __init__(self):
        self.messages = []
        self.refuse = None

    async def handle_DATA(self, server, session, envelope):
        """Accept (and keep) the message, or refuse it."""
        if self.refuse:
            return self.refuse
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.extend((recipient.lower(), parsed) for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        """Return the messages received for `address`."""
        return [message for recipient, message in self.messages if recipient == address.lower()]

    def recipients(self) -> list[str]:
        """Return every recipient address, once per message received (duplicates show)."""
        return [recipient for recipient, _message in self.messages]


class SmtpServer:
    """An SMTP server on 127.0.0.1 at a fixed free port, stopped and started again on the same port."""

    def __init__(self):
        self.inbox = Inbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = None

    def start(self) -> "SmtpServer":
        """Listen (again)."""
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until start()."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
