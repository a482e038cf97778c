"""Who may do what: roles and the permission matrix, as data.

The matrix answers "may this role read or write this kind of record at all?".
Scope is applied on top by the services: staff see only their own centre's
patients; caregivers and patients see only the children they are linked to.
A record outside a user's scope is reported as not found, never as forbidden,
so its existence is not revealed.

The same table is rendered in ``docs/permissions.md`` and tested cell by cell.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    HEMATOLOGIST = "hematologist"
    REHAB_PHYSICIAN = "rehab_physician"
    THERAPIST = "therapist"
    SONOGRAPHER = "sonographer"
    NURSE = "nurse"
    CAREGIVER = "caregiver"
    PATIENT = "patient"

    @property
    def is_family(self) -> bool:
        """Caregivers and patients: scoped to linked children, not to a centre."""
        return self in (Role.CAREGIVER, Role.PATIENT)


class RecordType(StrEnum):
    """Kinds of record the matrix covers. Assessments are split by instrument family."""

    PATIENT = "patient"
    INHIBITOR = "inhibitor"
    WEIGHT = "weight"
    HJHS = "hjhs"
    ULTRASOUND = "ultrasound"
    CHOKLAT = "choklat"
    XRAY = "xray"
    FUNCTION = "function"
    BLEED = "bleed"
    INFUSION = "infusion"
    REGIMEN = "regimen"
    PRODUCT = "product"
    CONSENT = "consent"
    FAMILY_LINK = "family_link"
    USER = "user"
    AUDIT = "audit"
    # The rehabilitation programme (issue 4).
    ENROLMENT = "enrolment"
    REHAB_PLAN = "rehab_plan"
    WEEKLY_REVIEW = "weekly_review"
    CLEARANCE = "clearance"
    HOME_LOG = "home_log"
    CHECK_IN = "check_in"
    CHECK_IN_REVIEW = "check_in_review"
    ONLINE_SESSION = "online_session"
    MESSAGE = "message"
    ADVERSE_EVENT = "adverse_event"
    EDUCATION = "education"
    EDUCATION_RECEIPT = "education_receipt"
    MDT = "mdt"
    # Issue 5: bleed-triage alerts routed to the clinical team.
    ALERT = "alert"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


# The clinical team: everyone who treats children (admins manage, families are scoped).
STAFF_ROLES = frozenset(
    {Role.HEMATOLOGIST, Role.REHAB_PHYSICIAN, Role.THERAPIST, Role.SONOGRAPHER, Role.NURSE}
)
_CLINICAL_READERS = STAFF_ROLES | {Role.ADMIN}
_FAMILY = frozenset({Role.CAREGIVER, Role.PATIENT})
_REHAB = frozenset({Role.THERAPIST, Role.REHAB_PHYSICIAN})
# Everyone who may read a child's chart (family only for linked children: scope).
_CHART = _CLINICAL_READERS | _FAMILY


def _only(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


# record type -> (roles that may read, roles that may write). Writing implies reading.
# Why these cells: issue 3 -- sonographers write ultrasound; therapists HJHS and rehab;
# hematologists prophylaxis, infusions and inhibitor results; nurses CHO-KLAT and
# education; caregivers read their children's summaries and write home logs, bleed
# reports and infusions. Admins manage people and products and read the audit log.
_MATRIX: dict[RecordType, tuple[frozenset[Role], frozenset[Role]]] = {
    RecordType.PATIENT: (_CHART, _only(Role.ADMIN, Role.HEMATOLOGIST, Role.NURSE)),
    RecordType.INHIBITOR: (_CHART, _only(Role.HEMATOLOGIST)),
    RecordType.WEIGHT: (_CHART, STAFF_ROLES),
    RecordType.HJHS: (_CHART, _only(Role.THERAPIST, Role.REHAB_PHYSICIAN)),
    RecordType.ULTRASOUND: (_CHART, _only(Role.SONOGRAPHER)),
    RecordType.CHOKLAT: (_CHART, _only(Role.NURSE)),
    RecordType.XRAY: (_CHART, _only(Role.HEMATOLOGIST, Role.REHAB_PHYSICIAN)),
    RecordType.FUNCTION: (_CHART, _only(Role.THERAPIST, Role.REHAB_PHYSICIAN)),
    RecordType.BLEED: (_CHART, STAFF_ROLES | _FAMILY),
    RecordType.INFUSION: (_CHART, _only(Role.HEMATOLOGIST, Role.NURSE) | _FAMILY),
    RecordType.REGIMEN: (_CHART, _only(Role.HEMATOLOGIST)),
    RecordType.PRODUCT: (_CHART, _only(Role.ADMIN, Role.HEMATOLOGIST)),
    RecordType.CONSENT: (_CHART, _only(Role.ADMIN, Role.NURSE, Role.HEMATOLOGIST)),
    RecordType.FAMILY_LINK: (_CLINICAL_READERS, _only(Role.ADMIN, Role.NURSE)),
    RecordType.USER: (_only(Role.ADMIN), _only(Role.ADMIN)),
    RecordType.AUDIT: (_only(Role.ADMIN), frozenset()),
    # Issue 4: the rehab team enrols, plans and reviews; the hematologist clears a joint
    # after a bleed; families log home sessions, upload check-ins and mark education
    # read; nurses assign education; MDT notes are the clinical team's, not the family's.
    RecordType.ENROLMENT: (_CHART, _REHAB),
    RecordType.REHAB_PLAN: (_CHART, _REHAB),
    RecordType.WEEKLY_REVIEW: (_CHART, _REHAB),
    RecordType.CLEARANCE: (_CHART, _only(Role.HEMATOLOGIST)),
    RecordType.HOME_LOG: (_CHART, _FAMILY),
    RecordType.CHECK_IN: (_CHART, _FAMILY),
    RecordType.CHECK_IN_REVIEW: (_CHART, _REHAB),
    RecordType.ONLINE_SESSION: (_CHART, _REHAB),
    RecordType.MESSAGE: (_CHART, STAFF_ROLES | _FAMILY),
    RecordType.ADVERSE_EVENT: (_CHART, STAFF_ROLES),
    RecordType.EDUCATION: (_CHART, _only(Role.NURSE)),
    RecordType.EDUCATION_RECEIPT: (_CHART, _FAMILY),
    RecordType.MDT: (_CLINICAL_READERS, STAFF_ROLES),
    # Issue 5: a triage alert goes to the centre's clinicians; the ones who treat the child
    # (hematologist, nurse, rehab team) acknowledge it. Families get their advice directly
    # from the triage, and the admin desk has no clinical role here.
    RecordType.ALERT: (
        STAFF_ROLES,
        _only(Role.HEMATOLOGIST, Role.NURSE, Role.REHAB_PHYSICIAN, Role.THERAPIST),
    ),
}


def is_allowed(role: Role, action: Action, record_type: RecordType) -> bool:
    """Whether ``role`` may ``action`` records of ``record_type`` (before scope).

    >>> is_allowed(Role.SONOGRAPHER, Action.WRITE, RecordType.ULTRASOUND)
    True
    >>> is_allowed(Role.THERAPIST, Action.WRITE, RecordType.ULTRASOUND)
    False
    >>> is_allowed(Role.ADMIN, Action.WRITE, RecordType.AUDIT)
    False
    """
    readers, writers = _MATRIX[record_type]
    if action is Action.WRITE:
        return role in writers
    return role in readers or role in writers


def matrix_rows() -> list[tuple[RecordType, frozenset[Role], frozenset[Role]]]:
    """The matrix as rows (record type, readers, writers), for docs and the API."""
    return [(record_type, *cells) for record_type, cells in _MATRIX.items()]


_INSTRUMENT_RECORD_TYPES = {
    "hjhs": RecordType.HJHS,
    "head_us": RecordType.ULTRASOUND,
    "head_us_c": RecordType.ULTRASOUND,
    "pocus": RecordType.ULTRASOUND,
    "us_measurements": RecordType.ULTRASOUND,
    "choklat": RecordType.CHOKLAT,
    "pettersson": RecordType.XRAY,
    "fish": RecordType.FUNCTION,
}


def record_type_for_instrument(instrument_code: str) -> RecordType:
    """The matrix row that governs assessments of ``instrument_code``.

    >>> record_type_for_instrument("head_us_c")
    <RecordType.ULTRASOUND: 'ultrasound'>
    """
    return _INSTRUMENT_RECORD_TYPES[instrument_code]


def assessment_record_types() -> frozenset[RecordType]:
    """The matrix rows that assessments fall under (one per instrument family).

    >>> RecordType.ULTRASOUND in assessment_record_types()
    True
    """
    return frozenset(_INSTRUMENT_RECORD_TYPES.values())
