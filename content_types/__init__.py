"""What things ARE: mongoengine documents, their fields, validation and indexes."""

from content_types.accounts import ApiToken, LoginFailures, LoginSession
from content_types.application_submission import ApplicationSubmission
from content_types.attachment import Attachment
from content_types.audit import AuditEntry
from content_types.base import (
    LANGUAGE_NAMES,
    LANGUAGES,
    NATIVE_LANGUAGE_NAMES,
    Content,
    HistoryEntry,
    LocalRole,
    StaleRevision,
)
from content_types.city import MemberCity
from content_types.company import Company, CooperationProject
from content_types.documents import Circular, Concept, Declaration, Mou, News, WorkPlan
from content_types.event import Delegation, Event
from content_types.leaving import ExclusionMotion, Withdrawal
from content_types.mail import MailAttachment, OutboxMessage
from content_types.meeting import Meeting
from content_types.membership import ConsentDecision, MembershipApplication, Reminder
from content_types.newsletter import Newsletter, Subscriber
from content_types.proposal import Proposal
from content_types.report import CooperationReport
from content_types.revision import Revision
from content_types.user import User
from content_types.version import PublishedVersion, VersionFile

__all__ = [
    "ApiToken",
    "ApplicationSubmission",
    "Attachment",
    "AuditEntry",
    "LoginFailures",
    "LoginSession",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "NATIVE_LANGUAGE_NAMES",
    "Circular",
    "Company",
    "Concept",
    "ConsentDecision",
    "CooperationProject",
    "CooperationReport",
    "Content",
    "Declaration",
    "Delegation",
    "Event",
    "ExclusionMotion",
    "HistoryEntry",
    "LocalRole",
    "MailAttachment",
    "Meeting",
    "MemberCity",
    "MembershipApplication",
    "Mou",
    "News",
    "Newsletter",
    "OutboxMessage",
    "Proposal",
    "PublishedVersion",
    "Reminder",
    "Revision",
    "VersionFile",
    "Withdrawal",
    "StaleRevision",
    "Subscriber",
    "User",
    "WorkPlan",
]
