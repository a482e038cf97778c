"""Every table, imported here so that ``Base.metadata`` knows them all."""

from hemojoint.persistence.models.assessments import AssessmentAmendmentRecord, AssessmentRecord
from hemojoint.persistence.models.audit import AuditEntryRecord
from hemojoint.persistence.models.bleeds import BleedRecord
from hemojoint.persistence.models.centres import CentreRecord
from hemojoint.persistence.models.consents import ConsentRecord
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
from hemojoint.persistence.models.users import (
    ApiTokenRecord,
    FamilyLinkRecord,
    LoginAttemptRecord,
    SessionRecord,
    UserRecord,
)

__all__ = [
    "ApiTokenRecord",
    "AssessmentAmendmentRecord",
    "AssessmentRecord",
    "AuditEntryRecord",
    "BleedRecord",
    "CentreRecord",
    "ConsentRecord",
    "FamilyLinkRecord",
    "InfusionRecord",
    "InhibitorResultRecord",
    "LoginAttemptRecord",
    "PatientRecord",
    "ProductRecord",
    "RegimenRecord",
    "SessionRecord",
    "UserRecord",
    "WeightRecord",
]
