"""Families' personal data: what the platform tells them (the privacy notice) and how long it
keeps their data (DESIGN rule 6)."""

from __future__ import annotations

from workshops.privacy.anonymising import anonymise_expired, apply_retention_daily

__all__ = [
    "anonymise_expired",
    "apply_retention_daily",
]
