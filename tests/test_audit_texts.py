"""The audit log's words are made at read time from stored facts; old entries keep their stored text."""

from flask_babel import force_locale

from cms.audit_texts import describe
from content_types.audit import AuditEntry


def test_entries_are_worded_from_their_facts(app):
    refused = AuditEntry(action="permission_denied", event="refused", facts={"what": "create", "type_name": "news"})
    shared = AuditEntry(action="share", event="shared", facts={"account": "a@test.example", "roles": ["reviewer"]})
    with app.test_request_context(), force_locale("de"):
        assert describe(refused) == "Versuch: Eintrag anlegen (Neuigkeit)"
        assert describe(shared) == "Für a@test.example freigegeben (Rollen: Prüfung)"


def test_entries_from_before_events_keep_their_text(app):
    with app.test_request_context():
        assert describe(AuditEntry(action="update", detail="revision 3")) == "revision 3"
