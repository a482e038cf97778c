"""Administration through the API: users, family links, the centre and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, UserRecord
from hemojoint.services.security import verify_password
from tests.support.admin_builders import api_operations, create_audit_entry, create_session
from tests.support.builders import (
    PASSWORD,
    create_centre,
    create_patient,
    create_token,
    create_user,
    link_family,
)

NEW_USER = {
    "username": "dr.lin",
    "display_name": "Dr Lin",
    "role": "therapist",
    "password": "ten chars!",  # exactly 10: the minimum (issue 3 brief)
}


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def admin(db, centre):
    return create_user(db, role=Role.ADMIN, centre=centre)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


# --- users ------------------------------------------------------------------------------------


def test_admin_creates_user_with_argon2id_hash_in_own_centre(client_as, db, admin) -> None:
    response = client_as(admin).post("/api/v1/users", json=NEW_USER)
    assert response.status_code == 201, response.text
    body = response.json()
    assert {key: body[key] for key in ("username", "display_name", "role", "centre_id")} == {
        "username": "dr.lin",
        "display_name": "Dr Lin",
        "role": "therapist",
        "centre_id": admin.centre_id,
    }
    assert body["version"] == 1
    assert "password" not in body
    assert "password_hash" not in body
    stored = db.get(UserRecord, body["id"])
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, "ten chars!")


def test_duplicate_username_is_409(client_as, db, admin) -> None:
    create_user(db, role=Role.NURSE, centre=create_centre(db), username="dr.lin")
    response = client_as(admin).post("/api/v1/users", json=NEW_USER)
    assert response.status_code == 409
    assert response.json() == {
        "error": "conflict",
        "detail": "username 'dr.lin' is already taken",
        "fields": [],
    }


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("role", "surgeon", None),
        ("username", "", "at least 1 characters"),
        ("username", "has space", "String should match pattern '^[A-Za-z0-9_.@-]+$'"),
    ],
    ids=["role-unknown", "username-empty", "username-space"],
)
def test_invalid_user_fields_are_422(client_as, admin, field, value, allowed) -> None:
    response = client_as(admin).post("/api/v1/users", json=NEW_USER | {field: value})
    assert response.status_code == 422
    problem = response.json()["fields"][0]
    assert (problem["field"], problem["value"]) == (field, value)
    if allowed is not None:
        assert problem["allowed"] == allowed
    else:  # the allowed values are listed: every role of domain.access.Role
        assert all(role.value in problem["allowed"] for role in Role)


@pytest.mark.parametrize(
    ("password", "status"),
    [("x" * 9, 422), ("x" * 10, 201), ("x" * 500, 201), ("x" * 501, 422)],
    ids=["9-chars", "10-chars", "500-chars", "501-chars"],
)
def test_password_length_policy_without_echoing_it(client_as, admin, password, status) -> None:
    # Brief: at least 10 characters; 500 caps the work an argon2 hash can be made to do.
    response = client_as(admin).post("/api/v1/users", json=NEW_USER | {"password": password})
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["fields"] == [
            {
                "field": "password",
                "value": None,  # a password is never sent back
                "allowed": "at least 10 and at most 500 characters",
                "message": f"password: has {len(password)} characters; use at least 10 and at most 500 characters",
            }
        ]
        assert password not in response.text


def test_list_users_only_own_centre_with_filters(client_as, db, centre, admin) -> None:
    create_user(db, role=Role.NURSE, centre=centre, display_name="Nurse Zhou")
    create_user(db, role=Role.NURSE, centre=create_centre(db))
    client = client_as(admin)
    everyone = client.get("/api/v1/users").json()
    assert everyone["total"] == 2
    assert {item["centre_id"] for item in everyone["items"]} == {centre.id}
    nurses = client.get("/api/v1/users?role=nurse").json()
    assert [item["display_name"] for item in nurses["items"]] == ["Nurse Zhou"]
    assert client.get("/api/v1/users?search=zhou").json()["total"] == 1


def test_update_role_and_name_with_version(client_as, db, centre, admin) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    client = client_as(admin)
    url = f"/api/v1/users/{nurse.id}"
    updated = client.patch(url, json={"version": 1, "role": "hematologist", "display_name": "Dr W"})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["role"], updated.json()["display_name"]) == ("hematologist", "Dr W")
    assert updated.json()["version"] == 2
    stale = client.patch(url, json={"version": 1, "display_name": "Old"})
    assert stale.status_code == 409
    assert stale.json()["current"]["display_name"] == "Dr W"
    assert "password_hash" not in stale.json()["current"]


def test_update_refuses_password_and_centre_fields(client_as, db, centre, admin) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = client_as(admin).patch(
        f"/api/v1/users/{nurse.id}", json={"version": 1, "centre_id": 99, "password_hash": "x"}
    )
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["fields"]} == {"centre_id", "password_hash"}


def test_admin_cannot_demote_or_archive_themself(client_as, admin) -> None:
    client = client_as(admin)
    demote = client.patch(f"/api/v1/users/{admin.id}", json={"version": 1, "role": "nurse"})
    archive = client.post(f"/api/v1/users/{admin.id}/archive", json={"version": 1, "reason": "x"})
    assert demote.status_code == archive.status_code == 409
    assert demote.json()["detail"] == "you cannot change your own role; ask another admin"
    assert archive.json()["detail"] == "you cannot archive your own account; ask another admin"


def test_archived_user_can_neither_sign_in_nor_use_tokens_nor_sessions(
    client_as, client, db, centre, admin
) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    token = create_token(db, nurse)
    browser = create_session(db, nurse)
    db.commit()
    archived = client_as(admin).post(
        f"/api/v1/users/{nurse.id}/archive", json={"version": 1, "reason": "left the centre"}
    )
    assert archived.status_code == 200
    assert archived.json()["archived_at"] is not None
    assert archived.json()["archived_reason"] == "left the centre"
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/v1/auth/me").status_code == 401
    del client.headers["Authorization"]
    client.cookies.set("hemojoint_session", browser.cookie_value)
    assert client.get("/api/v1/auth/me").status_code == 401
    client.cookies.clear()
    login = client.post(
        "/api/v1/auth/login", json={"username": nurse.username, "password": PASSWORD}
    )
    assert login.status_code == 401
    assert login.json()["detail"] == "the username or password is wrong"


def test_restore_brings_a_user_back_who_signs_in_afresh(client_as, db, centre, admin) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    client = client_as(admin)
    client.post(f"/api/v1/users/{nurse.id}/archive", json={"version": 1, "reason": "leave"})
    assert client.get("/api/v1/users").json()["total"] == 1  # the admin only
    assert client.get("/api/v1/users?archived=true").json()["total"] == 1
    restored = client.post(f"/api/v1/users/{nurse.id}/restore", json={"version": 2})
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None
    assert client_as(nurse).get("/api/v1/auth/me").status_code == 200


def test_other_centres_user_is_404_like_missing(client_as, db, admin) -> None:
    elsewhere = create_user(db, role=Role.NURSE, centre=create_centre(db))
    client = client_as(admin)
    for method, suffix, body in [
        ("GET", "", None),
        ("PATCH", "", {"version": 1, "display_name": "x"}),
        ("POST", "/archive", {"version": 1, "reason": "x"}),
        ("POST", "/restore", {"version": 1}),
    ]:
        hidden = client.request(method, f"/api/v1/users/{elsewhere.id}{suffix}", json=body)
        missing = client.request(method, f"/api/v1/users/999999{suffix}", json=body)
        assert hidden.status_code == missing.status_code == 404, (method, suffix)
        assert hidden.json()["error"] == "not_found"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN], ids=str)
def test_only_admins_manage_users(client_as, db, centre, role: Role) -> None:
    actor = create_user(db, role=role, centre=centre)
    client = client_as(actor)
    assert client.get("/api/v1/users").status_code == 403
    assert client.post("/api/v1/users", json=NEW_USER).status_code == 403
    forbidden = client.get(f"/api/v1/users/{actor.id}")
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == f"role {role.value} may not read user records"


def test_user_writes_leave_audit_entries(client_as, db, admin) -> None:
    user_id = client_as(admin).post("/api/v1/users", json=NEW_USER).json()["id"]
    entries = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "user")).all()
    assert [(e.action, e.entity_id, e.user_id, e.role) for e in entries] == [
        ("create", user_id, admin.id, "admin")
    ]


# --- family links -----------------------------------------------------------------------------


@pytest.mark.parametrize("linker_role", [Role.ADMIN, Role.NURSE], ids=str)
def test_admin_or_nurse_links_a_caregiver_who_then_sees_the_child(
    client_as, db, centre, patient, linker_role: Role
) -> None:
    linker = create_user(db, role=linker_role, centre=centre)
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    assert client_as(parent).get(f"/api/v1/patients/{patient.id}").status_code == 404
    created = client_as(linker).post(
        f"/api/v1/patients/{patient.id}/family-links",
        json={"user_id": parent.id, "relationship": "parent"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["user_id"], body["patient_id"], body["relationship"]) == (
        parent.id,
        patient.id,
        "parent",
    )
    assert client_as(parent).get(f"/api/v1/patients/{patient.id}").status_code == 200
    listed = client_as(linker).get(f"/api/v1/patients/{patient.id}/family-links").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_revoked_link_hides_the_child_and_can_be_renewed(
    client_as, db, centre, patient, admin
) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link = link_family(db, parent, patient)
    client = client_as(admin)
    revoked = client.post(f"/api/v1/family-links/{link.id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.post(f"/api/v1/family-links/{link.id}/revoke").status_code == 409
    assert client_as(parent).get(f"/api/v1/patients/{patient.id}").status_code == 404
    client = client_as(admin)  # client_as re-authenticates the one shared client
    url = f"/api/v1/patients/{patient.id}/family-links"
    assert client.get(f"{url}?revoked=true").json()["total"] == 1
    renewed = client.post(url, json={"user_id": parent.id, "relationship": "guardian"})
    assert renewed.status_code == 201
    assert (renewed.json()["id"], renewed.json()["revoked_at"]) == (link.id, None)
    assert (
        client.post(url, json={"user_id": parent.id, "relationship": "parent"}).status_code == 409
    )


@pytest.mark.parametrize(
    ("role", "relationship", "field", "allowed"),
    [
        (Role.NURSE, "parent", "user_id", "a caregiver or patient user"),
        (Role.CAREGIVER, "self", "relationship", "parent, guardian"),
        (Role.PATIENT, "parent", "relationship", "self"),
    ],
    ids=["staff-user", "caregiver-as-self", "patient-as-parent"],
)
def test_link_refuses_wrong_user_or_relationship_with_422(
    client_as, db, centre, patient, admin, role, relationship, field, allowed
) -> None:
    user = create_user(db, role=role, centre=centre)
    response = client_as(admin).post(
        f"/api/v1/patients/{patient.id}/family-links",
        json={"user_id": user.id, "relationship": relationship},
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == field
    assert response.json()["fields"][0]["allowed"] == allowed


def test_unknown_relationship_names_allowed_values(client_as, db, centre, patient, admin) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    response = client_as(admin).post(
        f"/api/v1/patients/{patient.id}/family-links",
        json={"user_id": parent.id, "relationship": "uncle"},
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["allowed"] == "'parent', 'guardian' or 'self'"


def test_link_across_centres_is_404(client_as, db, centre, patient, admin) -> None:
    other_centre = create_centre(db)
    their_parent = create_user(db, role=Role.CAREGIVER, centre=other_centre)
    their_patient = create_patient(db, other_centre)
    my_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    client = client_as(admin)
    to_their_user = client.post(
        f"/api/v1/patients/{patient.id}/family-links",
        json={"user_id": their_parent.id, "relationship": "parent"},
    )
    to_their_patient = client.post(
        f"/api/v1/patients/{their_patient.id}/family-links",
        json={"user_id": my_parent.id, "relationship": "parent"},
    )
    assert to_their_user.status_code == to_their_patient.status_code == 404
    assert to_their_user.json()["detail"] == f"user {their_parent.id} was not found"
    their_link = link_family(db, their_parent, their_patient)
    assert client.post(f"/api/v1/family-links/{their_link.id}/revoke").status_code == 404


def test_family_link_writes_are_audited_with_the_patient(
    client_as, db, centre, patient, admin
) -> None:
    parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_id = (
        client_as(admin)
        .post(
            f"/api/v1/patients/{patient.id}/family-links",
            json={"user_id": parent.id, "relationship": "parent"},
        )
        .json()["id"]
    )
    entry = db.scalars(
        select(AuditEntryRecord).where(AuditEntryRecord.entity == "family_link")
    ).one()
    assert (entry.action, entry.entity_id, entry.patient_id) == ("create", link_id, patient.id)


# --- centres ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_anyone_signed_in_reads_their_centre(client_as, db, centre, role: Role) -> None:
    user = create_user(db, role=role, centre=centre)
    response = client_as(user).get("/api/v1/centres/current")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["code"]) == (centre.id, centre.code)


def test_admin_renames_centre_with_version(client_as, db, centre, admin) -> None:
    client = client_as(admin)
    renamed = client.patch("/api/v1/centres/current", json={"version": 1, "name": "Beijing HTC"})
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["version"]) == ("Beijing HTC", 2)
    stale = client.patch("/api/v1/centres/current", json={"version": 1, "name": "Old"})
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "Beijing HTC"


def test_admin_sets_the_contact_line_families_call(client_as, db, centre, admin) -> None:
    client = client_as(admin)
    line = "+86 10 1234 5678 (24 h)"
    updated = client.patch("/api/v1/centres/current", json={"version": 1, "contact_line": line})
    assert updated.status_code == 200
    assert updated.json()["contact_line"] == line
    too_long = client.patch(
        "/api/v1/centres/current", json={"version": 2, "contact_line": "9" * 121}
    )
    assert too_long.status_code == 422
    assert too_long.json()["fields"][0]["field"] == "contact_line"


def test_centre_code_must_stay_unique(client_as, db, admin) -> None:
    taken = create_centre(db)
    response = client_as(admin).patch(
        "/api/v1/centres/current", json={"version": 1, "code": taken.code}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == f"centre code {taken.code!r} is already used"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN], ids=str)
def test_only_admins_change_the_centre(client_as, db, centre, role: Role) -> None:
    user = create_user(db, role=role, centre=centre)
    response = client_as(user).patch("/api/v1/centres/current", json={"version": 1, "name": "x"})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


# --- audit log --------------------------------------------------------------------------------


def test_audit_query_returns_own_centre_entries_newest_first(
    client_as, db, centre, patient, admin
) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    other_centre = create_centre(db)
    outsider = create_user(db, role=Role.NURSE, centre=other_centre)
    their_patient = create_patient(db, other_centre)
    mine = [
        create_audit_entry(db, user_id=nurse.id, role="nurse", patient_id=patient.id),
        create_audit_entry(db, user_id=nurse.id, role="nurse", action="update"),
    ]
    create_audit_entry(db, user_id=outsider.id, role="nurse", patient_id=their_patient.id)
    page = client_as(admin).get("/api/v1/audit").json()
    assert [item["id"] for item in page["items"]] == [mine[1].id, mine[0].id]
    assert page["items"][1] == {
        "id": mine[0].id,
        "at": page["items"][1]["at"],
        "user_id": nurse.id,
        "role": "nurse",
        "action": "read",
        "entity": "patient",
        "entity_id": None,
        "patient_id": patient.id,
        "address": None,
        "detail": None,
    }


def test_audit_filters_and_pages(client_as, db, centre, patient, admin) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    early = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(2026, 3, 1, tzinfo=UTC)
    create_audit_entry(db, user_id=nurse.id, patient_id=patient.id, at=early)
    create_audit_entry(db, user_id=nurse.id, patient_id=patient.id, at=late, action="update")
    create_audit_entry(db, user_id=admin.id, entity="user", at=late)
    client = client_as(admin)

    def ids(query: str) -> int:
        response = client.get(f"/api/v1/audit?{query}")
        assert response.status_code == 200, response.text
        return response.json()["total"]

    assert ids(f"patient_id={patient.id}") == 2
    assert ids(f"user_id={nurse.id}&action=update") == 1
    assert ids("entity=user") == 1
    assert ids("from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z") == 2
    assert ids("to=2026-03-01T00:00:00Z") == 1  # "to" is exclusive
    page = client.get(f"/api/v1/audit?patient_id={patient.id}&limit=1&offset=1").json()
    assert (page["total"], len(page["items"]), page["items"][0]["at"][:10]) == (2, 1, "2026-01-01")


def test_audit_time_filter_needs_a_time_zone(client_as, admin) -> None:
    response = client_as(admin).get("/api/v1/audit?from=2026-02-01T00:00:00")
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "from"


def test_reading_the_audit_log_is_itself_audited(client_as, db, admin) -> None:
    client_as(admin).get("/api/v1/audit?entity=patient")
    entry = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "audit")).one()
    assert (entry.user_id, entry.action, entry.detail) == (
        admin.id,
        "list",
        {"filters": {"entity": "patient"}, "returned": 0},
    )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN], ids=str)
def test_only_admins_read_the_audit_log(client_as, db, centre, role: Role) -> None:
    user = create_user(db, role=role, centre=centre)
    response = client_as(user).get("/api/v1/audit")
    assert response.status_code == 403
    assert response.json()["detail"] == f"role {role.value} may not read audit records"


def test_no_route_edits_or_deletes_audit_entries() -> None:
    audit_operations = {(method, path) for method, path in api_operations() if "audit" in path}
    assert audit_operations == {("GET", "/api/v1/audit")}


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET action = 'edited'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_database_refuses_to_change_audit_entries(db, statement: str) -> None:
    create_audit_entry(db)  # a row-level trigger only fires when a row is touched
    with pytest.raises(DBAPIError, match="audit_log is append-only"):
        db.execute(text(statement))
