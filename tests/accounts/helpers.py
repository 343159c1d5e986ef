"""What the accounts tests share: the address they sign in from, and an acting staff member."""

from __future__ import annotations

from tests.factories import make_organisation, make_user
from workshops.accounts import signin
from workshops.accounts.models import Role
from workshops.audit.events import Actor

IP = "192.0.2.10"


async def staff_actor(role: Role = Role.ADMIN) -> Actor:
    """A member with `role` in a new organisation, acting from `IP`."""
    user = await make_user(await make_organisation(), role=role)
    staff = await signin.load_staff(user.id, user.session_version)
    assert staff is not None
    return Actor(staff=staff, ip_address=IP)
