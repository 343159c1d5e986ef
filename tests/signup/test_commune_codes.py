"""Communes typed before the official list get their INSEE code, within the Département of the
workshop's site; what cannot be matched keeps its text and is reported."""

from __future__ import annotations

from dataclasses import replace

from tests.planning.factories import make_workshop
from tests.rooms.factories import make_room
from tests.signup.helpers import family
from workshops.kernel.settings import Settings
from workshops.planning.models import EligibleCommune
from workshops.rooms.models import Site
from workshops.signup.commune_codes import match_typed_communes
from workshops.signup.models import Registration
from workshops.signup.registering import register_family


async def _typed_registrations(settings: Settings, workshop_id: int, *typed: str) -> None:
    for text in typed:
        before_the_list = replace(family(), commune=text, commune_code="")
        await register_family(settings=settings, workshop_id=workshop_id, family=before_the_list)


async def test_typed_communes_are_matched_within_the_departement_of_the_site(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=20)  # its site is in Haguenau, Bas-Rhin
    await _typed_registrations(
        database,
        workshop.id,
        "haguenau",
        "HAGUENAU ",
        "Schweighouse sur moder",
        "Hagenau",
        "Saint-Denis",
        "67500",
    )
    report = await match_typed_communes()
    assert report.matched == 3
    # A typo, a name with no commune in the Bas-Rhin, a postal code shared by four communes.
    assert sorted(report.unmatched) == [("67500", 1), ("Hagenau", 1), ("Saint-Denis", 1)]
    stored = {(row.commune_code, row.commune) for row in await Registration.all().order_by("id")}
    assert stored == {
        ("67180", "Haguenau"),
        ("67458", "Schweighouse-sur-Moder"),
        ("", "Hagenau"),
        ("", "Saint-Denis"),
        ("", "67500"),
    }


async def test_the_site_postal_code_tells_homonyms_apart_for_eligible_communes(
    database: Settings,
) -> None:
    room = await make_room(commune="Saint-Denis")
    await Site.filter(id=room.site_id).update(postcode="93200")
    workshop = await make_workshop(room=room)
    await EligibleCommune.create(workshop_id=workshop.id, commune="st-denis", quota=3)
    report = await match_typed_communes()
    assert (report.matched, report.unmatched) == (1, [])
    row = await EligibleCommune.get(workshop_id=workshop.id)
    assert (row.commune_code, row.commune, row.quota) == ("93066", "Saint-Denis", 3)


async def test_matching_again_changes_nothing_and_reports_the_same_texts(
    database: Settings,
) -> None:
    workshop = await make_workshop()
    await _typed_registrations(database, workshop.id, "haguenau", "Karlsruhe")
    first = await match_typed_communes()
    again = await match_typed_communes()
    assert (first.matched, first.unmatched) == (1, [("Karlsruhe", 1)])
    assert (again.matched, again.unmatched) == (0, [("Karlsruhe", 1)])


async def test_sites_are_matched_within_the_departement_of_their_postal_code(
    database: Settings,
) -> None:
    typed = await make_room(commune="HAGUENAU ")
    await Site.filter(id=typed.site_id).update(postcode="67500")
    homonym = await make_room(commune="st-denis")
    await Site.filter(id=homonym.site_id).update(postcode="93200")
    unknown = await make_room(commune="Hagenau")
    ambiguous = await make_room(commune="Saint-Denis")
    report = await match_typed_communes()
    assert report.sites_matched == 2
    # A typo, and a name shared by several communes with no postal code to tell them apart.
    names = {site.id: site.name for site in await Site.all()}
    assert report.sites_unmatched == sorted(
        [(names[unknown.site_id], "Hagenau"), (names[ambiguous.site_id], "Saint-Denis")]
    )
    stored = {site.id: (site.commune_code, site.commune) for site in await Site.all()}
    assert stored == {
        typed.site_id: ("67180", "Haguenau"),
        homonym.site_id: ("93066", "Saint-Denis"),
        unknown.site_id: ("", "Hagenau"),
        ambiguous.site_id: ("", "Saint-Denis"),
    }
    again = await match_typed_communes()
    assert (again.sites_matched, again.sites_unmatched) == (0, report.sites_unmatched)
