"""Demo data around the founding case: the Bas-Rhin PMI (Nord) and two partner centres.

Safe to run twice: every record is looked up by its natural key before being created.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workshops.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from workshops.accounts.passwords import hash_password

DEMO_PASSWORD = "ateliers-demo-2026"
PMI_NORD = "Département du Bas-Rhin – PMI, Unité territoriale Nord"
CSC_SCHUMAN = "Centre Socio-Culturel Robert Schuman"
SCHWEIGHOUSE = "Espace familles de Schweighouse-sur-Moder"
CAF = "Caisse d'allocations familiales du Bas-Rhin"

ORGANISATIONS = [
    (
        PMI_NORD,
        OrganisationKind.PMI,
        "Haguenau",
        "pmi-nord@demo.ateliers.example",
        "03 68 33 80 00",
    ),
    (
        CSC_SCHUMAN,
        OrganisationKind.CENTRE,
        "Haguenau",
        "accueil@csc-schuman.example",
        "03 88 93 00 00",
    ),
    (
        SCHWEIGHOUSE,
        OrganisationKind.CENTRE,
        "Schweighouse-sur-Moder",
        "familles@schweighouse.example",
        "03 88 72 00 00",
    ),
    (CAF, OrganisationKind.FUNDER, "Strasbourg", "partenaires@caf67.example", ""),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    profession: str
    organisation: str
    role: Role


ACCOUNTS = [
    DemoAccount(
        "admin@demo.ateliers.example", "Alice Admin", "Administratrice", PMI_NORD, Role.ADMIN
    ),
    DemoAccount(
        "coordinatrice@demo.ateliers.example",
        "Claire Martin",
        "Coordinatrice PMI",
        PMI_NORD,
        Role.COORDINATOR,
    ),
    DemoAccount(
        "puericultrice@demo.ateliers.example",
        "Sophie Keller",
        "Puéricultrice",
        PMI_NORD,
        Role.FACILITATOR,
    ),
    DemoAccount(
        "sage-femme@demo.ateliers.example", "Nadia Benali", "Sage-femme", PMI_NORD, Role.FACILITATOR
    ),
    DemoAccount(
        "csc-schuman@demo.ateliers.example",
        "Marc Weber",
        "Directeur du centre",
        CSC_SCHUMAN,
        Role.CENTRE_MANAGER,
    ),
    DemoAccount(
        "schweighouse@demo.ateliers.example",
        "Julie Meyer",
        "Responsable familles",
        SCHWEIGHOUSE,
        Role.CENTRE_MANAGER,
    ),
]


async def load_demo() -> list[DemoAccount]:
    """Create what is missing of the demo; return the demo accounts."""
    async with in_transaction():
        for name, kind, commune, email, phone in ORGANISATIONS:
            territory = "Unité territoriale Nord" if kind is not OrganisationKind.FUNDER else ""
            await Organisation.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "commune": commune,
                    "territory": territory,
                    "contact_email": email,
                    "phone": phone,
                },
            )
        password_hash = hash_password(DEMO_PASSWORD)
        for account in ACCOUNTS:
            user, _ = await User.get_or_create(
                email=account.email,
                defaults={
                    "full_name": account.full_name,
                    "profession": account.profession,
                    "password_hash": password_hash,
                },
            )
            organisation = await Organisation.get(name=account.organisation)
            await Membership.get_or_create(
                user_id=user.id, organisation_id=organisation.id, defaults={"role": account.role}
            )
    return ACCOUNTS
