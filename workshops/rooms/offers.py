"""What a centre offers: weekly windows per room, and closures per site or room.

Two windows of one room never overlap (same weekday, overlapping dates and hours): the check runs
under the room's lock. Closures are whole days, typed by hand or imported from a calendar file;
an imported event is recognised by its UID, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workshops.audit import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.rooms.availability import minute_label, weekday_names
from workshops.rooms.ics_import import FIELD, ClosureDraft
from workshops.rooms.locking import lock_room
from workshops.rooms.models import Availability, Closure, ClosureSource, Room, Site

MAX_CLOSURE_DAYS = 366


@dataclass(frozen=True)
class WindowDetails:
    weekday: int
    start_minute: int
    end_minute: int
    valid_from: date
    valid_until: date


def _window_errors(details: WindowDetails, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 0 <= details.weekday <= 6:
        errors["weekday"] = _("Choisissez un jour de la semaine.")
    if details.end_minute <= details.start_minute:
        errors["end"] = _("L'heure de fin doit être après l'heure de début.")
    if details.valid_until < details.valid_from:
        errors["valid_until"] = _("La date de fin doit être après la date de début.")
    elif details.valid_until < today:
        errors["valid_until"] = _("Cette date est déjà passée : choisissez une date à venir.")
    return errors


def describe_window(window: Availability) -> str:
    return _(
        "le %(day)s de %(start)s à %(end)s, du %(first)s au %(last)s",
        day=weekday_names()[window.weekday],
        start=minute_label(window.start_minute),
        end=minute_label(window.end_minute),
        first=window.valid_from.strftime("%d/%m/%Y"),
        last=window.valid_until.strftime("%d/%m/%Y"),
    )


async def add_window(
    *, actor: Actor, room: Room, details: WindowDetails, today: date
) -> Availability:
    """Offer `room` every week on a weekday between two dates, unless it overlaps a window."""
    errors = _window_errors(details, today)
    if errors:
        raise Invalid(errors)
    async with transaction():
        await lock_room(room.id)
        overlapping = await Availability.filter(
            room_id=room.id,
            weekday=details.weekday,
            valid_from__lte=details.valid_until,
            valid_until__gte=details.valid_from,
            start_minute__lt=details.end_minute,
            end_minute__gt=details.start_minute,
        ).first()
        if overlapping is not None:
            raise Invalid(
                {
                    "start": _(
                        "Ce créneau chevauche un créneau déjà proposé : %(window)s.",
                        window=describe_window(overlapping),
                    )
                }
            )
        window = await Availability.create(
            room_id=room.id,
            weekday=details.weekday,
            start_minute=details.start_minute,
            end_minute=details.end_minute,
            valid_from=details.valid_from,
            valid_until=details.valid_until,
        )
        await record_event(
            actor=actor,
            action="room_availability.added",
            summary=f"Salle proposée {describe_window(window)} : {room.name}",
            object_type="room",
            object_id=room.id,
            organisation_id=room.site.organisation_id,
        )
    return window


async def remove_window(*, actor: Actor, room: Room, window_id: int) -> None:
    async with transaction():
        window = await Availability.get_or_none(id=window_id, room_id=room.id)
        if window is None:
            raise Invalid({"window": _("Ce créneau n'existe pas ou a déjà été retiré.")})
        await window.delete()
        await record_event(
            actor=actor,
            action="room_availability.removed",
            summary=f"Salle retirée de l'offre {describe_window(window)} : {room.name}",
            object_type="room",
            object_id=room.id,
            organisation_id=room.site.organisation_id,
        )


def _closure_errors(starts_on: date, ends_on: date, reason: str, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Indiquez le motif de la fermeture, par exemple « Vacances de Noël ».")
    if ends_on < starts_on:
        errors["ends_on"] = _("La date de fin doit être après la date de début.")
    elif ends_on < today:
        errors["ends_on"] = _("Cette date est déjà passée : choisissez une date à venir.")
    elif (ends_on - starts_on) > timedelta(days=MAX_CLOSURE_DAYS):
        errors["ends_on"] = _("Une fermeture dure au plus un an.")
    return errors


async def add_closure(
    *,
    actor: Actor,
    site: Site,
    room_id: int | None,
    starts_on: date,
    ends_on: date,
    reason: str,
    today: date,
) -> Closure:
    """Close the whole site, or one of its rooms, from `starts_on` to `ends_on` included."""
    errors = _closure_errors(starts_on, ends_on, reason, today)
    if room_id is not None and not await Room.filter(id=room_id, site_id=site.id).exists():
        errors["room"] = _("Choisissez une salle de ce lieu.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        closure = await Closure.create(
            site_id=site.id, room_id=room_id, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
        await record_event(
            actor=actor,
            action="room_closure.added",
            summary=f"Fermeture ({site.name}) : {reason}, "
            f"du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}",
            object_type="site",
            object_id=site.id,
            organisation_id=site.organisation_id,
        )
    return closure


async def remove_closure(*, actor: Actor, site: Site, closure_id: int) -> None:
    async with transaction():
        closure = await Closure.get_or_none(id=closure_id, site_id=site.id)
        if closure is None:
            raise Invalid({"closure": _("Cette fermeture n'existe pas ou a déjà été retirée.")})
        await closure.delete()
        await record_event(
            actor=actor,
            action="room_closure.removed",
            summary=f"Fermeture retirée ({site.name}) : {closure.reason}",
            object_type="site",
            object_id=site.id,
            organisation_id=site.organisation_id,
        )


async def already_imported(site: Site, drafts: list[ClosureDraft]) -> set[str]:
    """UIDs of these drafts that an earlier import of this site already holds."""
    uids = [draft.uid for draft in drafts if draft.uid]
    if not uids:
        return set()
    found = await Closure.filter(site_id=site.id, import_uid__in=uids).values_list(
        "import_uid", flat=True
    )
    return {str(uid) for uid in found}


async def import_closures(
    *, actor: Actor, site: Site, drafts: list[ClosureDraft], today: date
) -> list[Closure]:
    """Add the previewed closures of a calendar file to the whole site, all or none."""
    for draft in drafts:
        problems = _closure_errors(draft.starts_on, draft.ends_on, draft.reason, today)
        if problems:
            message = next(iter(problems.values()))
            raise Invalid({FIELD: f"{draft.reason} : {message}"})
    known = await already_imported(site, drafts)
    new = [draft for draft in drafts if not draft.uid or draft.uid not in known]
    if not new:
        raise Invalid({FIELD: _("Ces fermetures ont déjà été importées.")})
    async with transaction():
        closures = [
            await Closure.create(
                site_id=site.id,
                starts_on=draft.starts_on,
                ends_on=draft.ends_on,
                reason=draft.reason,
                source=ClosureSource.ICS,
                import_uid=draft.uid,
            )
            for draft in new
        ]
        await record_event(
            actor=actor,
            action="room_closure.imported",
            summary=f"{len(closures)} fermeture(s) importée(s) : {site.name}",
            object_type="site",
            object_id=site.id,
            organisation_id=site.organisation_id,
        )
    return closures


async def windows_of(room: Room) -> list[Availability]:
    return list(await Availability.filter(room_id=room.id))


async def closures_of(site: Site, today: date) -> list[Closure]:
    """The closures of the site and of its rooms that are not over yet."""
    closures = await Closure.filter(site_id=site.id, ends_on__gte=today).prefetch_related("room")
    return list(closures)
