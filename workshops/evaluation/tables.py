"""The evaluation as tables: the one layout the page, the charts, the XLSX and the CSV share.

Each table has a French title, a description (read by screen readers beside its chart), column
headers, and rows whose values stay numbers (a rate is a fraction, formatted as a percentage only
when shown), so the exports keep numbers as numbers. Each row carries its indicator's key and its
definition (`definitions`), shown as the row's help on the page and in the XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from workshops.evaluation.definitions import DEFINITIONS
from workshops.kernel.i18n import _
from workshops.signup import HEARD_FROM

Value = int | float | str | None
Figures = dict[str, Any]


class Kind(StrEnum):
    COUNT = "count"
    HOURS = "hours"
    EUROS = "euros"
    RATE = "rate"
    TEXT = "text"


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Value, ...]
    kind: Kind = Kind.COUNT
    key: str = ""  # `section.indicator` for the indicator rows, the label otherwise
    help: str = ""  # the indicator's definition, in words
    code: str = ""  # the communes table: the INSEE code of a commune of the official list


@dataclass(frozen=True)
class Table:
    key: str  # the sheet name of the XLSX and the section of the CSV
    title: str
    description: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: bool = False
    note: str = ""  # printed under the table (open data: what is hidden, and why)
    # The header of a column of codes after the labels (the communes' INSEE codes), if any.
    code_header: str = ""


AGE_LABELS = {
    "prenatal": "Avant la naissance",
    "0-2": "0 à 2 mois",
    "3-5": "3 à 5 mois",
    "6-11": "6 à 11 mois",
    "12-23": "12 à 23 mois",
    "24-35": "24 à 35 mois",
    "36+": "3 ans et plus",
}


def build_tables(current: Figures, previous: Figures, labels: tuple[str, str]) -> list[Table]:
    """Every table of the evaluation, the period beside the previous one."""
    header = (_("Indicateur"), *labels)
    return [
        _activity(current, previous, header),
        _by_key(current, previous, labels, "themes_table"),
        _cancellations(current),
        _premises(current, previous, header),
        _participation(current, previous, header),
        _by_key(current, previous, labels, "ages"),
        _by_key(current, previous, labels, "communes"),
        _by_key(current, previous, labels, "heard_from"),
    ]


def without_comparison(tables: list[Table]) -> list[Table]:
    """The tables with the period's column alone: there is no previous period to compare with
    (it lies before the convention existed, when its zeros would only mislead)."""
    return [
        table
        if table.key == "Annulations"
        else replace(
            table,
            header=table.header[:2],
            rows=tuple(replace(row, values=row.values[:1]) for row in table.rows),
        )
        for table in tables
    ]


def _pairs(
    current: Figures, previous: Figures, section: str, lines: list[tuple[str, str, Kind]]
) -> tuple[Row, ...]:
    # `.get`: figures frozen at a sign-off before an indicator existed lack it.
    return tuple(
        Row(
            label,
            (current[section].get(key), previous[section].get(key)),
            kind,
            f"{section}.{key}",
            _(DEFINITIONS[f"{section}.{key}"]),
        )
        for key, label, kind in lines
    )


def _activity(current: Figures, previous: Figures, header: tuple[str, ...]) -> Table:
    lines = [
        ("workshops_planned", _("Ateliers programmés"), Kind.COUNT),
        ("workshops_held", _("Ateliers tenus"), Kind.COUNT),
        ("workshops_cancelled", _("Ateliers annulés"), Kind.COUNT),
        ("sessions_planned", _("Séances programmées"), Kind.COUNT),
        ("sessions_held", _("Séances tenues"), Kind.COUNT),
        ("sessions_cancelled", _("Séances annulées"), Kind.COUNT),
        ("session_hours", _("Heures de séance"), Kind.HOURS),
        ("facilitator_hours", _("Heures d'animation"), Kind.HOURS),
    ]
    return Table(
        "Activité",
        _("Activité"),
        _("Ateliers et séances programmés, tenus et annulés ; heures de séance et d'animation."),
        header,
        _pairs(current, previous, "activity", lines),
    )


def _premises(current: Figures, previous: Figures, header: tuple[str, ...]) -> Table:
    lines = [
        ("hours_offered", _("Heures proposées par le centre"), Kind.HOURS),
        ("hours_booked", _("Heures réservées"), Kind.HOURS),
        ("hours_used", _("Heures utilisées"), Kind.HOURS),
        ("occupancy_rate", _("Taux d'occupation"), Kind.RATE),
        ("loan_value", _("Valeur du prêt gracieux"), Kind.EUROS),
        ("requests", _("Demandes de salle"), Kind.COUNT),
        ("requests_confirmed", _("Demandes confirmées"), Kind.COUNT),
        ("requests_declined", _("Demandes refusées"), Kind.COUNT),
        ("mean_response_hours", _("Délai moyen de réponse (heures)"), Kind.HOURS),
    ]
    return Table(
        "Locaux",
        _("Locaux"),
        _("Heures proposées, réservées et utilisées, valeur du prêt et réponses aux demandes."),
        header,
        _pairs(current, previous, "premises", lines),
    )


def _participation(current: Figures, previous: Figures, header: tuple[str, ...]) -> Table:
    lines = [
        ("registrations", _("Inscriptions"), Kind.COUNT),
        ("registrations_cancelled", _("Inscriptions annulées"), Kind.COUNT),
        (
            "registrations_workshop_cancelled",
            _("Inscriptions touchées par l'annulation d'un atelier"),
            Kind.COUNT,
        ),
        ("places", _("Places occupées"), Kind.COUNT),
        ("capacity", _("Places proposées"), Kind.COUNT),
        ("fill_rate", _("Taux de remplissage"), Kind.RATE),
        ("waitlist_unserved", _("Demandes restées en liste d'attente"), Kind.COUNT),
        ("present", _("Présences"), Kind.COUNT),
        ("excused", _("Absences excusées"), Kind.COUNT),
        ("absent", _("Absences"), Kind.COUNT),
        ("attendance_rate", _("Taux de présence"), Kind.RATE),
        ("families", _("Familles distinctes"), Kind.COUNT),
        ("families_new", _("Nouvelles familles"), Kind.COUNT),
        ("families_returning", _("Familles déjà venues"), Kind.COUNT),
        ("commune_local", _("Familles de la commune du lieu"), Kind.COUNT),
        ("commune_elsewhere", _("Familles d'autres communes"), Kind.COUNT),
    ]
    return Table(
        "Participation",
        _("Participation"),
        _("Inscriptions, présences, remplissage, demande non satisfaite et familles."),
        header,
        _pairs(current, previous, "participation", lines),
    )


def _cancellations(current: Figures) -> Table:
    levels = {"workshop": _("Atelier"), "session": _("Séance")}
    rows = tuple(
        Row(levels[item["level"]], (item["reason"], item["who"], item["count"]), Kind.TEXT)
        for item in current["activity"]["cancellations"]
    )
    return Table(
        "Annulations",
        _("Annulations"),
        _(DEFINITIONS["table.Annulations"]),
        (_("Annulation"), _("Motif"), _("Par"), _("Nombre")),
        rows,
    )


def _themes(figures: Figures) -> dict[str, int]:
    return {item["theme"]: item["sessions_held"] for item in figures["activity"]["themes"]}


def _ages(figures: Figures) -> dict[str, int]:
    bands: dict[str, int] = figures["participation"]["age_bands"]
    return {AGE_LABELS[band]: count for band, count in bands.items()}


def _communes(figures: Figures) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in figures["participation"]["communes"]:
        # Figures signed before issue 14 counted registrations by raw commune.
        count = item.get("families", item.get("registrations", 0))
        found[item["commune"]] = found.get(item["commune"], 0) + count
    return found


def _commune_codes(*figures: Figures) -> dict[str, str]:
    """The INSEE code of each commune row: "" for a commune kept as typed (or abroad), and in
    figures kept before the codes were carried to the rows."""
    codes: dict[str, str] = {}
    for each in figures:
        for item in each["participation"]["communes"]:
            codes[item["commune"]] = codes.get(item["commune"]) or item.get("code", "")
    return codes


def _heard(figures: Figures) -> dict[str, int]:
    names = {code: _(label) for code, label in HEARD_FROM}
    return {
        names.get(item["heard_from"], _("Non précisé")): item.get(
            "families", item.get("registrations", 0)
        )
        for item in figures["participation"]["heard_from"]
    }


_BY_KEY: dict[str, tuple[str, str, str, Callable[[Figures], dict[str, int]], bool]] = {
    "themes_table": ("Thèmes", "Séances tenues par thème", "Thème", _themes, True),
    "ages": ("Âges", "Enfants par tranche d'âge", "Âge à la séance", _ages, True),
    "communes": ("Communes", "Familles par commune de résidence", "Commune", _communes, False),
    "heard_from": ("Connaissance", "Comment les familles ont connu l'atelier", "Source", _heard,
                   True),
}  # fmt: skip


def _by_key(current: Figures, previous: Figures, labels: tuple[str, str], name: str) -> Table:
    """A table of counts by a label (theme, age band...), each label of either period."""
    key, title, column, extract, chart = _BY_KEY[name]
    now, before = extract(current), extract(previous)
    order = list(now) + [label for label in before if label not in now]
    codes = _commune_codes(current, previous) if name == "communes" else {}
    rows = tuple(
        Row(label, (now.get(label, 0), before.get(label, 0)), key=label, code=codes.get(label, ""))
        for label in order
    )
    return Table(
        key,
        _(title),
        _(DEFINITIONS[f"table.{key}"]),
        (_(column), *labels),
        rows,
        chart,
        code_header=_("Code INSEE") if name == "communes" else "",
    )
