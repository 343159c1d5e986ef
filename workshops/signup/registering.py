"""Signing a family up: eligibility, then a confirmed place (rule 1) or the waiting list.

Everything that decides a place happens inside one transaction holding the workshop's lock:
the duplicate check (backed by the unique constraint on workshop + e-mail), the conditional
update of the places and the insertion, so the registration ids follow the commit order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workshops.audit.service import Actor, record_event
from workshops.planning.models import EligibleCommune, Workshop
from workshops.planning.schedule import first_session_start, is_visible
from workshops.rooms.availability import utc_now
from workshops.settings import Settings
from workshops.signup import messages
from workshops.signup.capacity import commune_of, lock_workshop, take_places
from workshops.signup.eligibility import Child, age_problem, commune_problem, places_for
from workshops.signup.links import hash_token, new_token
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.waitlist import someone_could_be_promoted
from workshops.validation import Invalid, normalise_email
from workshops.web.i18n import _

# The key of a refusal that is about the workshop, not about one field of the form.
WORKSHOP = "workshop"


@dataclass(frozen=True)
class Family:
    """What a family tells on the sign-up form (DESIGN section 2, Registration)."""

    parent_name: str
    email: str
    commune: str
    children: list[Child]
    phone: str = ""
    adults: int = 1
    first_time: bool = True
    heard_from: str = ""
    needs: str = ""
    reminders_consent: bool = False


@dataclass(frozen=True)
class SignupOutcome:
    registration: Registration
    # False when the e-mail was already registered: its link was sent again, nothing else.
    created: bool
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


async def _check_open(workshop: Workshop, now: datetime) -> datetime:
    first = await first_session_start(workshop.id)
    if not await is_visible(workshop) or first is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'est pas ouvert aux inscriptions.")})
    if first <= now:
        raise Invalid({WORKSHOP: _("Cet atelier a commencé : les inscriptions sont closes.")})
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        raise Invalid({WORKSHOP: _("Les inscriptions à cet atelier ne sont pas encore ouvertes.")})
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        raise Invalid({WORKSHOP: _("Les inscriptions à cet atelier sont closes.")})
    return first


async def check_eligibility(
    *, workshop: Workshop, family: Family, now: datetime, settings: Settings
) -> None:
    """Raise `Invalid` with the reason when this family may not sign up for this workshop."""
    first = await _check_open(workshop, now)
    errors: dict[str, str] = {}
    problem = age_problem(workshop, family.children, first.astimezone(settings.zone).date())
    if problem:
        errors["children"] = problem
    communes = list(await EligibleCommune.filter(workshop_id=workshop.id).order_by("id"))
    problem = commune_problem(communes, family.commune)
    if problem:
        errors["commune"] = problem
    if errors:
        raise Invalid(errors)


async def register_family(
    *,
    settings: Settings,
    workshop_id: int,
    family: Family,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> SignupOutcome:
    """Sign a family up; `actor` is the staff member registering it on its behalf (phone call)."""
    now = now or utc_now()
    workshop = await Workshop.get_or_none(id=workshop_id)
    if workshop is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'existe pas.")})
    await check_eligibility(workshop=workshop, family=family, now=now, settings=settings)
    email = normalise_email(family.email)
    try:
        return await _register(settings, workshop, family, email, actor, now)
    except IntegrityError:
        # Another request with the same e-mail committed first: this one is the duplicate.
        return await _register(settings, workshop, family, email, actor, now)


async def _register(
    settings: Settings,
    workshop: Workshop,
    family: Family,
    email: str,
    actor: Actor | None,
    now: datetime,
) -> SignupOutcome:
    token = new_token()
    async with in_transaction():
        await lock_workshop(workshop.id)
        existing = await Registration.get_or_none(workshop_id=workshop.id, email=email)
        if existing is not None:
            existing.token_hash = hash_token(token)
            await existing.save(update_fields=["token_hash"])
            await messages.link_sent_again(existing, workshop, token=token, settings=settings)
            return SignupOutcome(registration=existing, created=False)
        places = places_for(workshop, family.children)
        someone_waits = await someone_could_be_promoted(workshop.id)
        commune = await commune_of(workshop_id=workshop.id, commune=family.commune)
        confirmed = not someone_waits and await take_places(
            workshop_id=workshop.id, places=places, commune=commune
        )
        registration = await Registration.create(
            workshop_id=workshop.id,
            status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
            places=places,
            parent_name=family.parent_name,
            email=email,
            phone=family.phone,
            commune=family.commune,
            adults=family.adults,
            children=[child.as_json() for child in family.children],
            first_time=family.first_time,
            heard_from=family.heard_from,
            needs=family.needs,
            reminders_consent=family.reminders_consent,
            token_hash=hash_token(token),
            registered_by_id=actor.staff.id if actor and actor.staff else None,
            confirmed_at=now if confirmed else None,
        )
        await messages.registration_received(registration, workshop, token=token, settings=settings)
        if actor is not None:
            await record_event(
                actor=actor,
                action="registration.created_by_staff",
                summary=f"Famille inscrite par téléphone : {workshop.title}",
                object_type="registration",
                object_id=registration.id,
                organisation_id=workshop.organisation_id,
            )
    return SignupOutcome(registration=registration, created=True)
