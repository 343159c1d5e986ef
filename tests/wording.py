"""Names of every grammatical kind, and the check that a text never bends one into a sentence.

Organisation, site and room names stand alone as values (`workshops.partners.clauses` says why):
after a colon, at the head of a line, in brackets, in a list. French written around a name with a
preposition would need the article the name may or may not carry, and gets it wrong for some.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workshops.demo import CSC_SCHUMAN, PMI_NORD, SCHWEIGHOUSE

# (organisation, site, room): a vowel, an article of its own, a plural, and the demo's centres.
PLACES = (
    ("Association Les Petits Pas", "Association Les Petits Pas", "Espace d'éveil"),
    ("Espace Familles", "Espace Familles", "Salle polyvalente"),
    ("La Maison des Familles", "La Maison des Familles", "La Cabane"),
    ("Le Relais", "Le Relais", "Le Cocon"),
    ("Les Jardins d'Émile", "Les Jardins d'Émile", "Les Petits Loups"),
    (CSC_SCHUMAN, "Centre Robert Schuman", "Salle polyvalente"),
    (SCHWEIGHOUSE, "Espace familles", "Salle d'éveil"),
)
ORGANISATION_NAMES = tuple(organisation for organisation, _site, _room in PLACES)
PMI_NAME = PMI_NORD

# What French never writes: a preposition before a name's own article or before a bare common
# noun (« de Centre », « de La », « à Le », « de Le », « de Les », « d'Espace »), and a room
# called by its kind and then by a name that says it again (« la salle « Salle… »).
_BENT = re.compile(
    r"\b(?:de|à|avec|pour|entre|et|par|chez|rejoindre)\s+"
    r"(?:Le|La|Les|L'|Centre|Espace|Association|Salle)\b"
    r"|\bd'(?:Espace|Association)\b"
    r"|\b(?:la|une) salle «"
)
# What may come just before a name standing alone (or nothing, at the start of the text).
_ALONE_AFTER = re.compile(r"(?:\n|: |\(|, |– |· |• |- |> )$")


def bent_forms(text: str) -> list[str]:
    return [match.group(0) for match in _BENT.finditer(text)]


def names_not_alone(text: str, names: Iterable[str]) -> list[str]:
    """Each place where one of `names` follows a word instead of standing alone."""
    found = []
    for name in names:
        for match in re.finditer(re.escape(name), text):
            before = text[: match.start()]
            if before and not _ALONE_AFTER.search(before):
                found.append(text[max(0, match.start() - 30) : match.end()])
    return found


def badly_named(text: str, names: Iterable[str]) -> list[str]:
    """Everything wrong with how `text` puts names in sentences; empty when it reads right."""
    return bent_forms(text) + names_not_alone(text, names)
