"""Every table, imported here so that ``Base.metadata`` knows them all."""

from hemojoint.persistence.models.alerts import AlertRecord
from hemojoint.persistence.models.assessments import AssessmentAmendmentRecord, AssessmentRecord
from hemojoint.persistence.models.audit import AuditEntryRecord
from hemojoint.persistence.models.bleeds import BleedRecord
from hemojoint.persistence.models.centres import CentreRecord
from hemojoint.persistence.models.consents import ConsentRecord
from hemojoint.persistence.models.mdt import MdtActionRecord, MdtMeetingRecord
from hemojoint.persistence.models.patients import (
    InhibitorResultRecord,
    PatientRecord,
    WeightRecord,
)
from hemojoint.persistence.models.prophylaxis import (
    InfusionRecord,
    ProductRecord,
    RegimenRecord,
)
from hemojoint.persistence.models.rehab import (
    AdverseEventRecord,
    EnrolmentStatus,
    HomeSessionLogRecord,
    JointClearanceRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanRecord,
    RehabPlanVersionRecord,
    WeeklyReviewRecord,
)
from hemojoint.persistence.models.tele import (
    CheckInRecord,
    EducationAssignmentRecord,
    MediaKind,
    MessageRecord,
    OnlineSessionRecord,
)
from hemojoint.persistence.models.users import (
    ApiTokenRecord,
    FamilyLinkRecord,
    LoginAttemptRecord,
    SessionRecord,
    UserRecord,
)

__all__ = [
    "AdverseEventRecord",
    "AlertRecord",
    "ApiTokenRecord",
    "AssessmentAmendmentRecord",
    "AssessmentRecord",
    "AuditEntryRecord",
    "BleedRecord",
    "CentreRecord",
    "CheckInRecord",
    "ConsentRecord",
    "EducationAssignmentRecord",
    "EnrolmentStatus",
    "FamilyLinkRecord",
    "HomeSessionLogRecord",
    "InfusionRecord",
    "InhibitorResultRecord",
    "JointClearanceRecord",
    "LoginAttemptRecord",
    "MdtActionRecord",
    "MdtMeetingRecord",
    "MediaKind",
    "MessageRecord",
    "OnlineSessionRecord",
    "PatientRecord",
    "ProductRecord",
    "ProgrammeEnrolmentRecord",
    "RegimenRecord",
    "RehabPlanRecord",
    "RehabPlanVersionRecord",
    "SessionRecord",
    "UserRecord",
    "WeeklyReviewRecord",
    "WeightRecord",
]
