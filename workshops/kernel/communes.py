"""The official list of French communes: look one up by INSEE code, search by name or postal code.

The list (`data/communes.json.gz`, Etalab's « Découpage administratif », Licence Ouverte) is read
once per process, on first use, and searched in memory: about 35,000 communes, each kept with its
name already normalised (`normalise`), so that « st jean », « Saint-Jean » and « SAINT JEAN » find
the same communes. Communes are in order of population, so homonyms come largest first.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "communes.json.gz"
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_DEPARTEMENT_SUFFIX = re.compile(r"^(.*?)\s*\((\d[0-9ab]\d?)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Commune:
    """A current commune: INSEE code, official name, département code, postal codes."""

    code: str
    name: str
    departement: str
    postcodes: tuple[str, ...] = ()
    key: str = field(default="", compare=False, repr=False)

    @property
    def label(self) -> str:
        """The name with the département, as homonyms must be told apart: `Haguenau (67)`."""
        return f"{self.name} ({self.departement})"


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space, « St »/« Ste » spelled out."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = _NOT_LETTERS.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@cache
def all_communes() -> tuple[Commune, ...]:
    payload = json.loads(gzip.decompress(DATA.read_bytes()))
    return tuple(
        Commune(code, name, departement, tuple(postcodes), normalise(name))
        for code, name, departement, postcodes in payload["communes"]
    )


@cache
def _by_code() -> dict[str, Commune]:
    return {commune.code: commune for commune in all_communes()}


@cache
def _by_postcode() -> dict[str, tuple[Commune, ...]]:
    found: dict[str, list[Commune]] = {}
    for commune in all_communes():
        for postcode in commune.postcodes:
            found.setdefault(postcode, []).append(commune)
    return {postcode: tuple(communes) for postcode, communes in found.items()}


@cache
def _by_key() -> dict[str, tuple[Commune, ...]]:
    found: dict[str, list[Commune]] = {}
    for commune in all_communes():
        found.setdefault(commune.key, []).append(commune)
    return {key: tuple(communes) for key, communes in found.items()}


@cache
def _sorted_postcodes() -> list[str]:
    return sorted(_by_postcode())


@cache
def _rank() -> dict[str, int]:
    return {commune.code: rank for rank, commune in enumerate(all_communes())}


@cache
def _spaced_keys() -> tuple[str, ...]:
    """Each key after a space: « moder » is found at the start of a word by one `in`."""
    return tuple(" " + commune.key for commune in all_communes())


def by_code(code: str) -> Commune | None:
    return _by_code().get(code)


def departement_of_postcode(postcode: str) -> str | None:
    """The département of a postal code (`20000` is in 2A), or None when no commune has it."""
    communes = _by_postcode().get(postcode.strip())
    return communes[0].departement if communes else None


def _split_departement(text: str) -> tuple[str, str | None]:
    """`Saint-Denis (93)` gives (`Saint-Denis`, `93`): the label a suggestion shows, typed back."""
    match = _DEPARTEMENT_SUFFIX.match(text)
    if match:
        return match.group(1), match.group(2).upper()
    return text, None


def matching(text: str, departement: str | None = None) -> tuple[Commune, ...]:
    """The communes that `text` names exactly: a name (with or without its `(67)`), a postal
    code or an INSEE code; within `departement` when given."""
    name, typed_departement = _split_departement(text.strip())
    wanted = typed_departement or departement
    if name.isdigit() and len(name) == 5:
        found = _by_postcode().get(name) or tuple(filter(None, [by_code(name)]))
    else:
        found = _by_key().get(normalise(name), ())
    return tuple(commune for commune in found if wanted in (None, commune.departement))


def search(text: str, limit: int = 8) -> list[Commune]:
    """Communes for what a family is typing: a postal code's first digits, or a name's first
    letters, or the start of one word of a name (« moder » finds Schweighouse-sur-Moder)."""
    name, departement = _split_departement(text.strip())
    if name.isdigit():
        if len(name) < 2:
            return []
        postcodes = _sorted_postcodes()
        found: set[Commune] = set()
        for index in range(bisect_left(postcodes, name), len(postcodes)):
            if not postcodes[index].startswith(name):
                break
            found.update(_by_postcode()[postcodes[index]])
        return sorted(found, key=lambda commune: _rank()[commune.code])[:limit]
    key = normalise(name)
    if not key:
        return []
    inside = " " + key
    starting: list[Commune] = []
    containing: list[Commune] = []
    for commune, spaced in zip(all_communes(), _spaced_keys(), strict=True):
        if departement is not None and commune.departement != departement:
            continue
        if spaced.startswith(inside):
            starting.append(commune)
            if len(starting) >= limit:
                break
        elif len(containing) < limit and inside in spaced:
            containing.append(commune)
    return (starting + containing)[:limit]
