"""Families for tests, and what their e-mails say."""

from __future__ import annotations

import itertools
from datetime import date

from workshops.kernel.clock import utc_now
from workshops.kernel.communes import matching
from workshops.mail.models import OutboxMessage
from workshops.signup.eligibility import Child
from workshops.signup.registering import Family

_numbers = itertools.count(1)


def months_ago(months: int) -> date:
    today = utc_now().date()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _code_of(name: str) -> str:
    """The INSEE code of a commune named once in the official list, as the form would find it."""
    found = matching(name)
    return found[0].code if len(found) == 1 else ""


def family(
    email: str = "",
    *,
    commune: str = "Haguenau",
    children: list[Child] | None = None,
    reminders: bool = True,
) -> Family:
    number = next(_numbers)
    return Family(
        parent_name=f"Parent {number}",
        email=email or f"famille{number}@exemple.fr",
        commune=commune,
        commune_code=_code_of(commune),
        children=children if children is not None else [Child(months_ago(4))],
        reminders_consent=reminders,
    )


async def mails_to(email: str, template: str = "") -> list[OutboxMessage]:
    query = OutboxMessage.filter(recipient=email)
    if template:
        query = query.filter(template=template)
    return list(await query.order_by("id"))
