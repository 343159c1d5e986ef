"""Which eligible commune of a workshop a family's commune is."""

from __future__ import annotations

from workshops.kernel.communes import normalise
from workshops.planning.models import EligibleCommune


def is_commune(row: EligibleCommune, *, code: str, name: str) -> bool:
    """Whether a family of the commune `code` (`name`) lives in the eligible commune `row`: by
    INSEE code when both have one; by name (accents, case, hyphens and « St » aside) when a
    commune was kept as typed before the official list."""
    if row.commune_code and code:
        return row.commune_code == code
    return normalise(row.commune) == normalise(name)
