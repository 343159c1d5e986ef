"""The one permission function: every staff access is decided here, from role and organisation.

A staff member holds one role in each organisation they belong to. A role grants a set of
permissions inside that organisation only. The platform administrator is the one exception: the
administration permissions (`PLATFORM_PERMISSIONS`) hold for every organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workshops.accounts.models import OrganisationKind, Role


class Permission(StrEnum):
    VIEW_ORGANISATION = "organisation.view"
    MANAGE_ORGANISATIONS = "organisations.manage"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT_LOG = "audit.view"
    VIEW_OUTBOX = "outbox.view"
    MANAGE_CALENDAR_FEED = "calendar_feed.manage"
    MANAGE_ROOMS = "rooms.manage"
    DECIDE_ROOM_REQUESTS = "rooms.decide"
    REQUEST_ROOMS = "rooms.request"
    PLAN_WORKSHOPS = "workshops.plan"
    VIEW_REGISTRATIONS = "registrations.view"
    VIEW_WORKSHOPS_IN_ROOMS = "workshops.view_in_rooms"
    MANAGE_THEMES = "themes.manage"
    MANAGE_CONVENTIONS = "conventions.manage"
    VIEW_EVALUATION = "evaluation.view"
    SIGN_EVALUATION = "evaluation.sign"
    EVALUATE_ALL_PARTNERS = "evaluation.all"
    RUN_PRIVACY_TOOL = "privacy.run"


_FACILITATOR = frozenset(
    {
        Permission.VIEW_ORGANISATION,
        Permission.REQUEST_ROOMS,
        Permission.PLAN_WORKSHOPS,
        Permission.VIEW_REGISTRATIONS,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FACILITATOR: _FACILITATOR,
    Role.COORDINATOR: _FACILITATOR
    | {
        Permission.MANAGE_THEMES,
        Permission.MANAGE_CONVENTIONS,
        Permission.VIEW_EVALUATION,
        Permission.SIGN_EVALUATION,
        Permission.EVALUATE_ALL_PARTNERS,
        Permission.RUN_PRIVACY_TOOL,
        Permission.MANAGE_CALENDAR_FEED,
    },
    Role.CENTRE_MANAGER: frozenset(
        {
            Permission.VIEW_ORGANISATION,
            Permission.MANAGE_ROOMS,
            Permission.DECIDE_ROOM_REQUESTS,
            Permission.VIEW_WORKSHOPS_IN_ROOMS,
            Permission.VIEW_EVALUATION,
            Permission.SIGN_EVALUATION,
            Permission.MANAGE_CALENDAR_FEED,
        }
    ),
    Role.ADMIN: frozenset(),
}

PLATFORM_PERMISSIONS = frozenset(
    {
        Permission.VIEW_ORGANISATION,
        Permission.MANAGE_ORGANISATIONS,
        Permission.MANAGE_MEMBERS,
        Permission.VIEW_AUDIT_LOG,
        Permission.VIEW_OUTBOX,
    }
)

# Which roles make sense in which kind of organisation.
ROLES_BY_KIND: dict[OrganisationKind, tuple[Role, ...]] = {
    OrganisationKind.PMI: (Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN),
    OrganisationKind.CENTRE: (Role.CENTRE_MANAGER, Role.ADMIN),
    OrganisationKind.FUNDER: (Role.ADMIN,),
}


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    organisation_name: str
    organisation_kind: OrganisationKind
    role: Role


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member, as every permission check sees them."""

    id: int
    email: str
    full_name: str
    grants: tuple[Grant, ...]

    @property
    def is_admin(self) -> bool:
        return any(grant.role is Role.ADMIN for grant in self.grants)

    def organisation_ids(self, permission: Permission) -> list[int]:
        """The organisations in which this member holds `permission` through a role."""
        return [
            grant.organisation_id
            for grant in self.grants
            if permission in ROLE_PERMISSIONS[grant.role]
        ]


def is_allowed(staff: Staff, permission: Permission, organisation_id: int | None = None) -> bool:
    """May `staff` use `permission` on objects of `organisation_id`?

    With no organisation, the question is whether they hold the permission anywhere, e.g. to
    open a list page that then shows only their own organisations' objects.
    """
    if staff.is_admin and permission in PLATFORM_PERMISSIONS:
        return True
    if organisation_id is None:
        return bool(staff.organisation_ids(permission))
    return organisation_id in staff.organisation_ids(permission)
