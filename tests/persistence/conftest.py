"""A child of one centre with a therapist, a linked parent and a running enrolment."""

from __future__ import annotations

import pytest

from hemojoint.domain.access import Role
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.programme_builders import create_enrolment


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


@pytest.fixture
def therapist(db, centre):
    return create_user(db, role=Role.THERAPIST, centre=centre)


@pytest.fixture
def parent(db, centre, patient):
    user = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, user, patient)
    return user


@pytest.fixture
def enrolment(db, patient, therapist):
    return create_enrolment(db, patient, therapist)
