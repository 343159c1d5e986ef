"""Planning workshops: create, place sessions in room bookings, publish, duplicate, cancel.

A session sits in a room booking of the workshop's own organisation; a workshop is published only
when every planned session's booking is confirmed. Cancelling tells every registered family
(waiting or confirmed) by e-mail, with a STATUS:CANCELLED calendar file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workshops.accounts import Membership, Role
from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.communes import by_code
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning.locking import lock_workshop
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Theme,
    Workshop,
    WorkshopStatus,
)
from workshops.planning.schedule import unconfirmed_workshop_ids
from workshops.rooms import BookingStatus, RoomBooking


async def add_eligible_commune(*, workshop_id: int, code: str, quota: int | None) -> None:
    """A commune of the official list by its INSEE code; anything else is a name kept as typed."""
    commune = by_code(code)
    if commune is None:
        await EligibleCommune.create(workshop_id=workshop_id, commune=code, quota=quota)
    else:
        await EligibleCommune.create(
            workshop_id=workshop_id, commune=commune.name, commune_code=code, quota=quota
        )


@dataclass(frozen=True)
class WorkshopPlan:
    """What a facilitator fills in for a workshop; communes map an INSEE code (or the name of a
    commune kept from before the official list) to an optional quota."""

    theme_id: int
    title: str
    capacity: int
    description: str = ""
    prenatal: bool = False
    min_age_months: int | None = None
    max_age_months: int | None = None
    communes: tuple[tuple[str, int | None], ...] = ()
    facilitator_ids: tuple[int, ...] = ()
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None


def plan_errors(plan: WorkshopPlan) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not plan.title.strip():
        errors["title"] = _("Indiquez le titre de l'atelier.")
    if not 1 <= plan.capacity <= 200:
        errors["capacity"] = _("Indiquez un nombre de places entre 1 et 200.")
    low, high = plan.min_age_months, plan.max_age_months
    if low is not None and high is not None and low > high:
        errors["max_age_months"] = _("L'âge maximum doit suivre l'âge minimum.")
    return errors


async def facilitators_problem(organisation_id: int, user_ids: tuple[int, ...]) -> str | None:
    """Co-facilitators are PMI professionals of the workshop's own organisation."""
    wanted = set(user_ids)
    found = await Membership.filter(
        organisation_id=organisation_id,
        user_id__in=list(wanted),
        role__in=[Role.FACILITATOR, Role.COORDINATOR],
    ).count()
    return None if found == len(wanted) else _("Choisissez des collègues de votre structure.")


async def create_workshop(
    *, actor: Actor, organisation_id: int, plan: WorkshopPlan, booking_ids: list[int]
) -> Workshop:
    """A draft workshop with one session per room booking (pending or confirmed)."""
    assert actor.staff is not None
    errors = plan_errors(plan)
    if not await Theme.exists(id=plan.theme_id):
        errors["theme"] = _("Choisissez un type d'atelier.")
    problem = await facilitators_problem(organisation_id, plan.facilitator_ids)
    if problem:
        errors["facilitators"] = problem
    bookings = await usable_bookings(organisation_id, booking_ids)
    if not bookings:
        errors["bookings"] = _("Choisissez au moins une réservation de salle pour les séances.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        workshop = await Workshop.create(
            organisation_id=organisation_id,
            theme_id=plan.theme_id,
            title=plan.title.strip(),
            description=plan.description,
            capacity=plan.capacity,
            prenatal=plan.prenatal,
            min_age_months=plan.min_age_months,
            max_age_months=plan.max_age_months,
            registration_opens_at=plan.registration_opens_at,
            registration_closes_at=plan.registration_closes_at,
            created_by_id=actor.staff.id,
        )
        for code, quota in plan.communes:
            await add_eligible_commune(workshop_id=workshop.id, code=code, quota=quota)
        for user_id in dict.fromkeys((actor.staff.id, *plan.facilitator_ids)):
            await Facilitation.create(workshop_id=workshop.id, user_id=user_id)
        for booking in bookings:
            await Session.create(
                workshop_id=workshop.id,
                booking_id=booking.id,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
            )
        await record_event(
            actor=actor,
            action="workshop.created",
            summary=f"Atelier créé : {workshop.title}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=organisation_id,
        )
    return workshop


async def usable_bookings(organisation_id: int, booking_ids: list[int]) -> list[RoomBooking]:
    """Bookings of this organisation, pending or confirmed, in the future, in no other session."""
    taken = {
        session.booking_id
        for session in await Session.filter(
            booking_id__in=booking_ids, cancelled_at__isnull=True
        ).only("id", "booking_id")
    }
    return list(
        await RoomBooking.filter(
            id__in=[i for i in booking_ids if i not in taken],
            organisation_id=organisation_id,
            status__in=[BookingStatus.PENDING, BookingStatus.CONFIRMED],
            starts_at__gt=utc_now(),
        ).order_by("starts_at")
    )


async def add_sessions(
    *, actor: Actor, workshop: Workshop, booking_ids: list[int]
) -> list[Session]:
    """More sessions for a draft or published workshop, one per booking of its organisation.

    A published workshop stays hidden from families until the new rooms are confirmed.
    """
    if workshop.status not in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED):
        raise Invalid({"bookings": _("Cet atelier ne peut plus changer.")})
    bookings = await usable_bookings(workshop.organisation_id, booking_ids)
    if not bookings:
        raise Invalid({"bookings": _("Choisissez au moins une réservation de salle.")})
    async with transaction():
        # Sign-ups compare the sessions they told families about under this lock.
        await lock_workshop(workshop.id)
        sessions = [
            await Session.create(
                workshop_id=workshop.id,
                booking_id=booking.id,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
            )
            for booking in bookings
        ]
        await record_event(
            actor=actor,
            action="workshop.sessions_added",
            summary=f"{len(sessions)} séance(s) ajoutée(s) : {workshop.title}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=workshop.organisation_id,
        )
    return sessions


async def publish_workshop(*, actor: Actor, workshop: Workshop) -> Workshop:
    """Open the workshop to families: every planned session must have its room confirmed."""
    if workshop.status != WorkshopStatus.DRAFT:
        raise Invalid({"workshop": _("Seul un brouillon peut être publié.")})
    if not await Session.filter(workshop_id=workshop.id, cancelled_at__isnull=True).exists():
        raise Invalid({"workshop": _("Ajoutez au moins une séance avant de publier.")})
    if await unconfirmed_workshop_ids([workshop.id]):
        raise Invalid({"workshop": _("Chaque séance doit avoir sa salle confirmée par le centre.")})
    async with transaction():
        changed = await Workshop.filter(id=workshop.id, status=WorkshopStatus.DRAFT).update(
            status=WorkshopStatus.PUBLISHED
        )
        if not changed:
            raise Invalid({"workshop": _("Seul un brouillon peut être publié.")})
        await record_event(
            actor=actor,
            action="workshop.published",
            summary=f"Atelier publié : {workshop.title}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=workshop.organisation_id,
        )
    await workshop.refresh_from_db()
    return workshop


async def duplicate_workshop(
    *, actor: Actor, workshop: Workshop, booking_ids: list[int]
) -> Workshop:
    """A new draft with the same theme, text, places, ages, communes and facilitators, placed in
    other room bookings (the new dates); registrations are not copied."""
    communes = await EligibleCommune.filter(workshop_id=workshop.id).order_by("id")
    facilitators = await Facilitation.filter(workshop_id=workshop.id).order_by("id")
    plan = WorkshopPlan(
        theme_id=workshop.theme_id,
        title=workshop.title,
        capacity=workshop.capacity,
        description=workshop.description,
        prenatal=workshop.prenatal,
        min_age_months=workshop.min_age_months,
        max_age_months=workshop.max_age_months,
        communes=tuple((row.commune_code or row.commune, row.quota) for row in communes),
        facilitator_ids=tuple(row.user_id for row in facilitators),
    )
    return await create_workshop(
        actor=actor, organisation_id=workshop.organisation_id, plan=plan, booking_ids=booking_ids
    )
