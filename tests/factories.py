"""Records for tests, made through the models with sensible defaults."""

from __future__ import annotations

import itertools

import httpx

from workshops.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from workshops.accounts.passwords import hash_password

PASSWORD = "un mot de passe solide"
_numbers = itertools.count(1)
_password_hash = hash_password(PASSWORD)


async def make_organisation(
    kind: OrganisationKind = OrganisationKind.PMI, name: str = "", commune: str = "Haguenau"
) -> Organisation:
    number = next(_numbers)
    return await Organisation.create(name=name or f"Structure {number}", kind=kind, commune=commune)


async def make_user(
    organisation: Organisation | None = None,
    role: Role = Role.FACILITATOR,
    email: str = "",
    full_name: str = "",
) -> User:
    number = next(_numbers)
    user = await User.create(
        email=email or f"personne{number}@exemple.fr",
        full_name=full_name or f"Personne {number}",
        password_hash=_password_hash,
    )
    if organisation is not None:
        await Membership.create(user_id=user.id, organisation_id=organisation.id, role=role)
    return user


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    response = await client.post("/pro/connexion", data={"email": email, "password": password})
    assert response.status_code == 303, response.text
    return response
