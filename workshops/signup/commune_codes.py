"""Communes typed freely before the official list, given their INSEE code.

A site's commune is matched within the Département of its postal code (all France without one).
A registration's or an eligible commune's text is matched, normalised (case, accents, hyphens,
« St »), against the communes of the Département of the workshop's sites (read from each site's
postal code through the list), or of all France when the workshop has no site yet; only a text
that names exactly one commune is matched. What cannot be matched keeps its text and no code, and
is reported. This runs as `workshops communes` and after every `workshops migrate`, not inside
migration 0010: it uses the list as the code knows it today, so running it again after a refresh
of the list matches what the previous list missed, and matching nothing twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from workshops.kernel.communes import Commune, by_code, departement_of_postcode, matching
from workshops.kernel.db import execute, fetch, transaction

_SITES_OF_WORKSHOPS = """
SELECT DISTINCT s.workshop_id, si.postcode, si.commune, si.commune_code
FROM workshop_session s
JOIN room_booking b ON b.id = s.booking_id
JOIN room r ON r.id = b.room_id
JOIN site si ON si.id = r.site_id
"""
_TYPED = """
SELECT workshop_id, commune, COUNT(*) AS count FROM {table}
WHERE commune_code = '' AND commune <> ''
GROUP BY workshop_id, commune
"""


_TYPED_SITES = (
    "SELECT id, name, postcode, commune FROM site WHERE commune_code = '' AND commune <> ''"
)


@dataclass(frozen=True)
class MatchReport:
    matched: int
    # (text as typed, rows that keep it), most frequent first.
    unmatched: list[tuple[str, int]]
    # Sites: how many were matched, and (site's name, commune as typed) of the others.
    sites_matched: int = 0
    sites_unmatched: list[tuple[str, str]] = field(default_factory=list)


def _departement_of_site(postcode: str, commune: str, code: str = "") -> str | None:
    listed = by_code(code) if code else None
    if listed is not None:
        return listed.departement
    found = departement_of_postcode(postcode) if postcode else None
    if found is None:
        communes = matching(commune)
        found = communes[0].departement if len(communes) == 1 else None
    return found


async def _departements() -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for row in await fetch(_SITES_OF_WORKSHOPS, []):
        departement = _departement_of_site(
            row["postcode"] or "", row["commune"] or "", row["commune_code"] or ""
        )
        if departement is not None:
            found.setdefault(row["workshop_id"], set()).add(departement)
    return found


def commune_for(text: str, departements: set[str]) -> Commune | None:
    """The one commune `text` names in `departements` (all France when there are none)."""
    if not departements:
        found = matching(text)
        return found[0] if len(found) == 1 else None
    candidates = [commune for dep in departements for commune in matching(text, dep)]
    return candidates[0] if len(candidates) == 1 else None


async def _match_table(table: str, departements: dict[int, set[str]], left: Counter[str]) -> int:
    matched = 0
    for row in await fetch(_TYPED.format(table=table), []):
        commune = commune_for(row["commune"], departements.get(row["workshop_id"], set()))
        if commune is None:
            left[row["commune"]] += row["count"]
            continue
        name = commune.name
        if table == "workshop_commune":
            # Two spellings of one commune in one workshop: the name stays (it is unique there).
            taken = await fetch(
                "SELECT 1 FROM workshop_commune WHERE workshop_id = ? AND commune = ?",
                [row["workshop_id"], name],
            )
            name = row["commune"] if taken and name != row["commune"] else name
        matched += await execute(
            f"UPDATE {table} SET commune_code = ?, commune = ? "
            "WHERE workshop_id = ? AND commune = ? AND commune_code = ''",
            [commune.code, name, row["workshop_id"], row["commune"]],
        )
    return matched


def site_commune(postcode: str, commune: str) -> Commune | None:
    """The one commune a site's typed `commune` names, within the Département of its postal
    code (all France when the postal code is empty or unknown)."""
    departement = departement_of_postcode(postcode) if postcode.strip() else None
    return commune_for(commune, {departement} if departement else set())


async def _match_sites() -> tuple[int, list[tuple[str, str]]]:
    matched, left = 0, []
    for row in await fetch(_TYPED_SITES, []):
        commune = site_commune(row["postcode"] or "", row["commune"])
        if commune is None:
            left.append((row["name"], row["commune"]))
            continue
        matched += await execute(
            "UPDATE site SET commune_code = ?, commune = ? WHERE id = ? AND commune_code = ''",
            [commune.code, commune.name, row["id"]],
        )
    return matched, sorted(left)


async def match_typed_communes() -> MatchReport:
    """Give their INSEE code to the communes typed before the list; report what is left."""
    left: Counter[str] = Counter()
    async with transaction():
        departements = await _departements()
        matched = await _match_table("registration", departements, left)
        matched += await _match_table("workshop_commune", departements, left)
        sites_matched, sites_left = await _match_sites()
    return MatchReport(
        matched=matched,
        unmatched=left.most_common(),
        sites_matched=sites_matched,
        sites_unmatched=sites_left,
    )
