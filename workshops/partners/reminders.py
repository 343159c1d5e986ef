"""The worker job that e-mails both parties of a convention before each of its deadlines.

Deadlines (see `workshops.partners.terms`): the notice deadline before each tacit renewal, the
renewal itself, the last day of the convention (5-year cap, end of a convention not renewed, or
termination), and the expiry of each party's current insurance certificate. A reminder goes out
`REMINDER_LEAD_DAYS` (30) days before the date, or at the first run of the worker after that, up
to the day itself; never after the date, when it would be of no use.

Each reminder goes out once: a `ConventionReminder` row with the unique key (convention, kind,
due date, reference) is created in the same transaction as the queued e-mails. A second run, or
a second worker at the same moment, finds the row (or hits the unique key) and sends nothing.

Recipients: the PMI organisation's coordinators and contact address, and the partner's centre
managers and contact address.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from tortoise.exceptions import IntegrityError

from workshops.accounts import Membership, Organisation, Role
from workshops.kernel.clock import local_today
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, normalise_email
from workshops.mail import enqueue_mail
from workshops.partners.models import Convention, ConventionReminder, ReminderKind
from workshops.partners.schedule import all_deadlines, deadline_label, status_of
from workshops.partners.terms import ConventionStatus, Deadline

REMINDER_LEAD_DAYS = 30
MAIL_TEMPLATE = "convention_reminder"
logger = logging.getLogger("workshops.partners")
_ROLES_TOLD = (Role.COORDINATOR, Role.CENTRE_MANAGER)


def due_reminders(convention: Convention, today: date) -> list[Deadline]:
    """The deadlines of a convention whose reminder period covers `today`."""
    if status_of(convention, today) in (
        ConventionStatus.DRAFT,
        ConventionStatus.ENDED,
        ConventionStatus.TERMINATED,
    ):
        return []
    horizon = today + timedelta(days=REMINDER_LEAD_DAYS)
    return [
        deadline
        for deadline in all_deadlines(convention, list(convention.documents))
        if today <= deadline.due_on <= horizon
    ]


async def party_addresses(organisation: Organisation) -> list[str]:
    """The coordinators (PMI) or managers (centre) of a party, and its contact address."""
    members = await Membership.filter(
        organisation_id=organisation.id, role__in=list(_ROLES_TOLD), user__is_active=True
    ).prefetch_related("user")
    addresses = [normalise_email(member.user.email) for member in members]
    if organisation.contact_email:
        addresses.append(normalise_email(organisation.contact_email))
    return list(dict.fromkeys(address for address in addresses if address))


async def _send_one(
    settings: Settings, convention: Convention, deadline: Deadline, today: date
) -> bool:
    recipients = [
        *await party_addresses(convention.pmi),
        *await party_addresses(convention.partner),
    ]
    recipients = list(dict.fromkeys(recipients))
    context = {
        "convention": convention,
        "pmi_name": convention.pmi.name,
        "partner_name": convention.partner.name,
        "what": deadline_label(deadline.kind),
        "kind": deadline.kind,
        "due_on": deadline.due_on,
        "days_left": (deadline.due_on - today).days,
    }
    try:
        async with transaction():
            await ConventionReminder.create(
                convention_id=convention.id,
                kind=ReminderKind(deadline.kind),
                due_on=deadline.due_on,
                reference=deadline.reference,
                recipients=recipients,
            )
            for address in recipients:
                try:
                    await enqueue_mail(
                        settings=settings, to=address, template=MAIL_TEMPLATE, context=context
                    )
                except Invalid:
                    logger.warning("Adresse invalide ignorée pour un rappel : %s", address)
    except IntegrityError:
        return False  # another worker sent it a moment ago
    return True


async def send_convention_reminders(settings: Settings) -> None:
    """The worker job: the reminders due today in the platform's time zone."""
    await queue_reminders(settings=settings, today=local_today(settings.zone))


async def queue_reminders(*, settings: Settings, today: date) -> int:
    """Queue every reminder due `today` and not yet sent; return how many went out."""
    conventions = await Convention.filter(signed_on__isnull=False).prefetch_related(
        "pmi", "partner", "documents"
    )
    sent = 0
    for convention in conventions:
        due = due_reminders(convention, today)
        if not due:
            continue
        sent_before = await ConventionReminder.filter(convention_id=convention.id).values_list(
            "kind", "due_on", "reference"
        )
        known = {(str(kind), due_on, reference) for kind, due_on, reference in sent_before}
        for deadline in due:
            if (deadline.kind, deadline.due_on, deadline.reference) in known:
                continue
            sent += await _send_one(settings, convention, deadline, today)
    return sent
