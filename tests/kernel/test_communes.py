"""The official commune list: found by name or postal code, whatever the accents, case or « St »."""

from __future__ import annotations

import time

from workshops.kernel import communes
from workshops.kernel.communes import by_code, departement_of_postcode, matching, normalise, search


def labels(found: list[communes.Commune] | tuple[communes.Commune, ...]) -> list[str]:
    return [commune.label for commune in found]


def test_a_name_is_found_whatever_its_accents_case_hyphens_or_saint_abbreviation() -> None:
    assert normalise("  SAINT-ÉTIENNE ") == normalise("st etienne") == "saint etienne"
    assert normalise("Sainte-Menehould") == normalise("Ste Menehould")
    assert labels(matching("st etienne")) == ["Saint-Étienne (42)"]
    assert labels(matching("SCHWEIGHOUSE SUR MODER")) == ["Schweighouse-sur-Moder (67)"]
    assert "Saint-Étienne (42)" in labels(search("saint-etien"))


def test_typing_the_first_letters_proposes_the_largest_communes_first() -> None:
    found = search("hag")
    assert found[0].label == "Haguenau (67)"
    assert len(found) == 8


def test_a_word_inside_the_name_finds_the_commune() -> None:
    assert "Schweighouse-sur-Moder (67)" in labels(search("moder"))


def test_a_postal_code_finds_every_commune_that_shares_it() -> None:
    found = labels(search("67500"))
    assert found[0] == "Haguenau (67)"
    assert {"Weitbruch (67)", "Batzendorf (67)"} <= set(found)
    assert labels(search("13013")) == ["Marseille (13)"]


def test_homonyms_are_told_apart_by_their_departement() -> None:
    found = labels(matching("Saint-Denis"))
    assert {"Saint-Denis (93)", "Saint-Denis (974)", "Saint-Denis (11)"} <= set(found)
    assert labels(matching("Saint-Denis (93)")) == ["Saint-Denis (93)"]
    assert labels(matching("saint denis", departement="974")) == ["Saint-Denis (974)"]


def test_an_insee_code_or_postal_code_names_the_commune_it_stands_for() -> None:
    haguenau = by_code("67180")
    assert haguenau is not None and haguenau.name == "Haguenau"
    assert haguenau.postcodes == ("67500",)
    assert matching("67180") == (haguenau,)
    assert by_code("99999") is None


def test_paris_lyon_and_marseille_are_one_commune_with_all_their_postal_codes() -> None:
    assert labels(matching("75011")) == ["Paris (75)"]
    assert labels(matching("Lyon")) == ["Lyon (69)"]
    assert by_code("75111") is None


def test_a_postal_code_gives_its_departement_even_in_corsica() -> None:
    assert departement_of_postcode("67500") == "67"
    assert departement_of_postcode("20000") == "2A"
    assert departement_of_postcode("00000") is None


def test_nothing_is_proposed_for_an_empty_or_too_short_entry() -> None:
    assert search("") == []
    assert search("6") == []
    assert search(" - ") == []


def test_a_keystroke_is_answered_in_a_few_milliseconds() -> None:
    communes.all_communes()
    slowest = 0.0
    for typed in ("h", "hag", "moder", "zzz", "saint", "67", "6750", "Saint-Denis (93)"):
        started = time.perf_counter()
        search(typed)
        slowest = max(slowest, time.perf_counter() - started)
    assert slowest < 0.05
