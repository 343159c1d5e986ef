"""The permission matrix: every role, against its own organisation and a foreign one.

The expected rights are written out by hand from DESIGN.md section 1, not derived from the code.
"""

from __future__ import annotations

import pytest

from workshops.accounts.models import OrganisationKind, Role
from workshops.accounts.permissions import Grant, Permission, Staff, is_allowed

OWN, FOREIGN = 1, 2
P = Permission

EXPECTED_IN_OWN_ORGANISATION: dict[Role, set[Permission]] = {
    Role.FACILITATOR: {
        P.VIEW_ORGANISATION,
        P.REQUEST_ROOMS,
        P.PLAN_WORKSHOPS,
        P.VIEW_REGISTRATIONS,
    },
    Role.COORDINATOR: {
        P.VIEW_ORGANISATION,
        P.REQUEST_ROOMS,
        P.PLAN_WORKSHOPS,
        P.VIEW_REGISTRATIONS,
        P.MANAGE_THEMES,
        P.MANAGE_CONVENTIONS,
        P.VIEW_EVALUATION,
        P.SIGN_EVALUATION,
        P.EVALUATE_ALL_PARTNERS,
        P.RUN_PRIVACY_TOOL,
        P.MANAGE_CALENDAR_FEED,
    },
    Role.CENTRE_MANAGER: {
        P.VIEW_ORGANISATION,
        P.MANAGE_ROOMS,
        P.DECIDE_ROOM_REQUESTS,
        P.VIEW_WORKSHOPS_IN_ROOMS,
        P.VIEW_EVALUATION,
        P.SIGN_EVALUATION,
        P.MANAGE_CALENDAR_FEED,
    },
    Role.ADMIN: {
        P.VIEW_ORGANISATION,
        P.MANAGE_ORGANISATIONS,
        P.MANAGE_MEMBERS,
        P.VIEW_AUDIT_LOG,
        P.VIEW_OUTBOX,
    },
}
# Only the platform administrator reaches into other organisations, and only to administer.
EXPECTED_IN_FOREIGN_ORGANISATION: dict[Role, set[Permission]] = {
    Role.FACILITATOR: set(),
    Role.COORDINATOR: set(),
    Role.CENTRE_MANAGER: set(),
    Role.ADMIN: EXPECTED_IN_OWN_ORGANISATION[Role.ADMIN],
}
KIND_OF_ROLE = {
    Role.FACILITATOR: OrganisationKind.PMI,
    Role.COORDINATOR: OrganisationKind.PMI,
    Role.CENTRE_MANAGER: OrganisationKind.CENTRE,
    Role.ADMIN: OrganisationKind.PMI,
}


def member_of_own_organisation(role: Role) -> Staff:
    grant = Grant(
        organisation_id=OWN,
        organisation_name="Notre structure",
        organisation_kind=KIND_OF_ROLE[role],
        role=role,
    )
    return Staff(id=1, email="x@exemple.fr", full_name="X", grants=(grant,))


CASES = [(role, permission) for role in Role for permission in Permission]


@pytest.mark.parametrize(("role", "permission"), CASES)
def test_role_in_its_own_organisation(role: Role, permission: Permission) -> None:
    staff = member_of_own_organisation(role)
    expected = permission in EXPECTED_IN_OWN_ORGANISATION[role]
    assert is_allowed(staff, permission, OWN) is expected


@pytest.mark.parametrize(("role", "permission"), CASES)
def test_role_against_a_foreign_organisation(role: Role, permission: Permission) -> None:
    staff = member_of_own_organisation(role)
    expected = permission in EXPECTED_IN_FOREIGN_ORGANISATION[role]
    assert is_allowed(staff, permission, FOREIGN) is expected


def test_a_person_in_two_organisations_holds_each_role_only_where_it_was_given() -> None:
    staff = Staff(
        id=1,
        email="x@exemple.fr",
        full_name="X",
        grants=(
            Grant(OWN, "PMI", OrganisationKind.PMI, Role.FACILITATOR),
            Grant(FOREIGN, "Centre", OrganisationKind.CENTRE, Role.CENTRE_MANAGER),
        ),
    )
    assert is_allowed(staff, P.REQUEST_ROOMS, OWN)
    assert not is_allowed(staff, P.REQUEST_ROOMS, FOREIGN)
    assert is_allowed(staff, P.DECIDE_ROOM_REQUESTS, FOREIGN)
    assert not is_allowed(staff, P.DECIDE_ROOM_REQUESTS, OWN)


def test_without_organisation_the_question_is_whether_the_right_is_held_anywhere() -> None:
    facilitator = member_of_own_organisation(Role.FACILITATOR)
    assert is_allowed(facilitator, P.PLAN_WORKSHOPS)
    assert not is_allowed(facilitator, P.MANAGE_ROOMS)
    assert not is_allowed(facilitator, P.VIEW_AUDIT_LOG)
