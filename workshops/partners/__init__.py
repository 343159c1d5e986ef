"""Partnership conventions between the PMI and its partners: terms, status, documents, reminders.

`terms` holds the date rules (status, renewals, notice), `conventions` the operations staff perform,
`documents` the signed PDF and insurance certificates, `reminders` the worker job that e-mails
both parties before each deadline.
"""

from __future__ import annotations

from workshops.partners.clauses import model_clauses
from workshops.partners.conventions import get_convention
from workshops.partners.models import Convention, ConventionRoom
from workshops.partners.reminders import party_addresses, send_convention_reminders
from workshops.partners.terms import add_months

__all__ = [
    "Convention",
    "ConventionRoom",
    "add_months",
    "get_convention",
    "model_clauses",
    "party_addresses",
    "send_convention_reminders",
]
