"""Authorization sweep generated from the route table.

Every staff route (under /pro/) is requested by every role, and by a visitor, with the ids of
objects that belong to a *foreign* organisation. The answer must be a refusal (403 or 404, or the
login redirect for a visitor) and must never contain the foreign organisation's data.

A new route with a path parameter not listed in `FOREIGN_IDS` makes this test fail: say which
foreign object the parameter names, and the new route is swept too.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from tests.factories import log_in, make_organisation, make_user
from tests.mail.helpers import queue_reset_mail
from tests.planning.factories import make_workshop
from tests.rooms.factories import ask, make_person, make_room, offer
from tests.signup.helpers import family
from workshops.accounts.models import Membership, OrganisationKind, Role, User
from workshops.kernel.settings import Settings
from workshops.partners.models import Convention, ConventionDocument, DocumentKind
from workshops.planning.models import Session, Workshop
from workshops.rooms.models import Closure, RoomBooking
from workshops.signup.registering import register_family

SECRET = "ZZ-ÉTRANGER-SECRET"
# Routes that need no sign-in by design (they carry their own secret token, or are the login).
PUBLIC_STAFF_ROUTES = {
    "/pro/connexion",
    "/pro/deconnexion",
    "/pro/invitation/{token}",
    "/pro/mot-de-passe-oublie",
    "/pro/mot-de-passe-oublie/{token}",
}
# Platform administration: the admin reaches every organisation there, by design.
ADMIN_EVERYWHERE = {
    "/pro/structures",
    "/pro/structures/{organisation_id:id}",
    "/pro/structures/{organisation_id:id}/membres",
    "/pro/structures/{organisation_id:id}/membres/{membership_id:id}/retrait",
    "/pro/journal",
    "/pro/courriels",
    "/pro/courriels/{message_id:id}",
    "/pro/courriels/{message_id:id}/renvoi",
}


# PMI professionals look for rooms in every partner centre and ask for them: these pages show
# a foreign centre's room by design (but never another organisation's people or messages).
REQUESTERS_REACH_EVERY_CENTRE = {
    "/pro/salles/{room_id:id}/demande",
}
# Workshop themes are one list shared by every PMI organisation: any coordinator edits any theme.
THEMES_SHARED_BY_COORDINATORS = {
    "/pro/types-d-atelier/{theme_id:id}",
}


@dataclass
class Foreign:
    organisation_id: int
    membership_id: int
    message_id: int
    site_id: int
    room_id: int
    booking_id: int
    window_id: int
    closure_id: int
    workshop_id: int
    session_id: int
    registration_id: int
    theme_id: int
    convention_id: int
    document_id: int


async def _foreign_world(settings: Settings) -> Foreign:
    """A foreign centre with a room, its manager, and a foreign PMI's request for that room."""
    centre = await make_organisation(OrganisationKind.CENTRE, name="Centre Étranger")
    person = await make_user(centre, role=Role.CENTRE_MANAGER, full_name=f"Personne {SECRET}")
    membership = await Membership.get(user_id=person.id)
    message = await queue_reset_mail(settings, to="etranger@exemple.fr", name=SECRET)
    room = await make_room(centre)
    window = await offer(room)
    closure = await Closure.create(
        site_id=room.site.id,
        starts_on=date(2026, 12, 24),
        ends_on=date(2026, 12, 26),
        reason="Noël",
    )
    foreign_pmi = await make_organisation(OrganisationKind.PMI, name="PMI Étrangère")
    requester = await make_person(foreign_pmi, Role.FACILITATOR)
    await User.filter(id=requester.user.id).update(full_name=f"Demandeuse {SECRET}")
    [booking] = await ask(room, requester)
    await RoomBooking.filter(id=booking.id).update(message=f"Message {SECRET}")
    workshop = await make_workshop(organisation=requester.organisation, room=room)
    await Workshop.filter(id=workshop.id).update(title=f"Atelier {SECRET}")
    session = await Session.get(workshop_id=workshop.id)
    outcome = await register_family(
        settings=settings,
        workshop_id=workshop.id,
        family=replace(family(), parent_name=f"Famille {SECRET}"),
    )
    convention = await Convention.create(
        pmi_id=foreign_pmi.id,
        partner_id=centre.id,
        reference=SECRET,
        starts_on=date(2025, 9, 1),
        clauses={"premises": f"Clause {SECRET}"},
    )
    document = await ConventionDocument.create(
        convention_id=convention.id,
        kind=DocumentKind.SIGNED_CONVENTION,
        stored_name="etranger.pdf",
        original_name=f"{SECRET}.pdf",
        size=10,
    )
    return Foreign(
        organisation_id=centre.id,
        membership_id=membership.id,
        message_id=message.id,
        site_id=room.site.id,
        room_id=room.id,
        booking_id=booking.id,
        window_id=window.id,
        closure_id=closure.id,
        workshop_id=workshop.id,
        session_id=session.id,
        registration_id=outcome.registration.id,
        theme_id=workshop.theme_id,
        convention_id=convention.id,
        document_id=document.id,
    )


FOREIGN_IDS: dict[str, Callable[[Foreign], int]] = {
    "organisation_id": lambda foreign: foreign.organisation_id,
    "membership_id": lambda foreign: foreign.membership_id,
    "message_id": lambda foreign: foreign.message_id,
    "site_id": lambda foreign: foreign.site_id,
    "room_id": lambda foreign: foreign.room_id,
    "booking_id": lambda foreign: foreign.booking_id,
    "window_id": lambda foreign: foreign.window_id,
    "closure_id": lambda foreign: foreign.closure_id,
    "workshop_id": lambda foreign: foreign.workshop_id,
    "session_id": lambda foreign: foreign.session_id,
    "registration_id": lambda foreign: foreign.registration_id,
    "theme_id": lambda foreign: foreign.theme_id,
    "convention_id": lambda foreign: foreign.convention_id,
    "document_id": lambda foreign: foreign.document_id,
}
KIND_OF_ROLE = {
    Role.FACILITATOR: OrganisationKind.PMI,
    Role.COORDINATOR: OrganisationKind.PMI,
    Role.CENTRE_MANAGER: OrganisationKind.CENTRE,
    Role.ADMIN: OrganisationKind.PMI,
}


# Ends every session of the person: swept last, so that the other routes are asked signed in.
ENDS_EVERY_SESSION = "/pro/profil/deconnexion-partout"


def _staff_routes(app: Starlette) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if not isinstance(route, Route) or not route.path.startswith("/pro/"):
            continue
        if route.path in PUBLIC_STAFF_ROUTES:
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, route.path))
    return sorted(found, key=lambda found_route: found_route[1] == ENDS_EVERY_SESSION)


def _fill(path: str, foreign: Foreign) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in FOREIGN_IDS, f"say which foreign object {{{name}}} names in FOREIGN_IDS"
        return str(FOREIGN_IDS[name](foreign))

    return re.sub(r"{(\w+)(?::\w+)?}", replace, path)


Request = Callable[[str, str], Awaitable[httpx.Response]]


def _shared_by_design(template: str, role: Role) -> bool:
    if template in THEMES_SHARED_BY_COORDINATORS:
        return role is Role.COORDINATOR
    return template in REQUESTERS_REACH_EVERY_CENTRE and role in (
        Role.FACILITATOR,
        Role.COORDINATOR,
    )


async def _sweep(client: httpx.AsyncClient, app: Starlette, role: Role | None) -> list[str]:
    foreign = await _foreign_world(app.state.settings)
    if role is not None:
        own = await make_organisation(KIND_OF_ROLE[role], name="Structure de la personne")
        await log_in(client, (await make_user(own, role=role)).email)
    problems = []
    routes = _staff_routes(app)
    assert len(routes) >= 8, routes
    for method, template in routes:
        if role is Role.ADMIN and template in ADMIN_EVERYWHERE:
            continue
        path = _fill(template, foreign)
        response = await client.request(method, path, data={"email": "x@exemple.fr"})
        if role is None:
            refused = response.status_code == 303
        elif _shared_by_design(template, role):
            refused = response.status_code < 500
        elif "{" in template:
            refused = response.status_code in (403, 404)
        else:
            # A page of one's own (home, profile, list): it answers, but never with foreign data.
            refused = response.status_code < 500
        if not refused:
            problems.append(f"{role} {method} {path}: {response.status_code}")
        if SECRET in response.text:
            problems.append(f"{role} {method} {path}: foreign data shown")
        if role is None and response.status_code == 303:
            assert response.headers["location"].startswith("/pro/connexion")
    return problems


@pytest.mark.parametrize("role", [None, *Role], ids=["visiteur", *[r.value for r in Role]])
async def test_no_role_reaches_a_foreign_organisation(
    client: httpx.AsyncClient, app: Starlette, role: Role | None
) -> None:
    assert await _sweep(client, app, role) == []
