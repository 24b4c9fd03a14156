"""The core's models, one module per kind of record; every name is importable from congress.models."""

from congress.models.audit import (
    AuditAction,
    AuditEvent,
    AuditEventQuerySet,
    AuditResult,
)
from congress.models.core import (
    AnnualPlan,
    AnnualPlanQuerySet,
    Attachment,
    Constituency,
    Department,
    Deputy,
    DeputyQuerySet,
    District,
    Town,
    User,
    Venue,
    Village,
    VisitMethod,
    default_counted_methods,
    default_points_table,
    default_review_months,
    default_session_months,
)
from congress.models.display import (
    DisplayLink,
    DisplayLinkQuerySet,
)
from congress.models.notifications import (
    Channel,
    ChannelPreference,
    Delivery,
    Notification,
    NotificationQuerySet,
    WorkingDayOverride,
)
from congress.models.privacy import PersonalDataRequest, PersonalDataRequestQuerySet
from congress.roles import Role

__all__ = [
    "AnnualPlan",
    "AnnualPlanQuerySet",
    "Attachment",
    "AuditAction",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditResult",
    "Channel",
    "ChannelPreference",
    "Constituency",
    "Delivery",
    "Department",
    "Deputy",
    "DeputyQuerySet",
    "DisplayLink",
    "DisplayLinkQuerySet",
    "District",
    "Notification",
    "NotificationQuerySet",
    "PersonalDataRequest",
    "PersonalDataRequestQuerySet",
    "Role",
    "Town",
    "User",
    "Venue",
    "Village",
    "VisitMethod",
    "WorkingDayOverride",
    "default_counted_methods",
    "default_points_table",
    "default_review_months",
    "default_session_months",
]
