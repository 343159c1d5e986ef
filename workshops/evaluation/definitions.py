"""What each indicator of the evaluation counts, in words: the one source of the row help on the
page, of the "Définition" column of the XLSX, and of `docs/evaluation.md` (a test keeps the
document and this dictionary saying the same).

The words are the contract the two partners sign: a query that counts something else is wrong,
not the words. Keys are `section.indicator` for the rows of the activity, premises and
participation tables, and `table.<key>` for the tables of counts by theme, age, commune, source.

Two rules decided once for every participation figure (issue 14):
- the registrations counted are the confirmed registrations of the period's workshops that are
  not cancelled; a whole cancelled workshop counts only in the row of registrations it affected;
- a family is a family key (the address in lower case, or after erasure the key all its
  registrations share), counted once whatever its number of registrations.
"""

from __future__ import annotations

from workshops.kernel.i18n import N_

DEFINITIONS: dict[str, str] = {
    # Activity
    "activity.workshops_planned": N_(
        "Ateliers publiés dont la première séance a lieu dans la période, dans les salles de la "
        "portée, organisés par les PMI comptées, annulés compris (pas les brouillons)."
    ),
    "activity.workshops_held": N_(
        "Ateliers non annulés ayant au moins une séance non annulée terminée au moment du calcul."
    ),
    "activity.workshops_cancelled": N_("Ateliers annulés en entier."),
    "activity.sessions_planned": N_(
        "Toutes les séances des ateliers programmés, annulées comprises."
    ),
    "activity.sessions_held": N_(
        "Séances non annulées d'ateliers non annulés, terminées au moment du calcul."
    ),
    "activity.sessions_cancelled": N_(
        "Séances annulées une à une, et toutes les séances d'un atelier annulé."
    ),
    "activity.session_hours": N_("Durée totale des séances tenues."),
    "activity.facilitator_hours": N_(
        "Durée de chaque séance tenue multipliée par le nombre d'animateurs de son atelier."
    ),
    # Premises
    "premises.hours_offered": N_(
        "Heures des créneaux hebdomadaires proposés dans les salles de la portée tenues par "
        "convention, sur les jours de la période, jours de fermeture exclus."
    ),
    "premises.hours_booked": N_(
        "Heures des réservations confirmées commençant dans la période, demandées par les PMI "
        "comptées."
    ),
    "premises.hours_used": N_("Heures des réservations confirmées occupées par une séance tenue."),
    "premises.occupancy_rate": N_("Heures utilisées divisées par les heures proposées."),
    "premises.loan_value": N_(
        "Heures utilisées multipliées par la valeur horaire de référence de chaque salle."
    ),
    "premises.requests": N_(
        "Demandes de réservation commençant dans la période, quel que soit leur état."
    ),
    "premises.requests_confirmed": N_(
        "Demandes décidées et non refusées (confirmées, même annulées ensuite)."
    ),
    "premises.requests_declined": N_("Demandes refusées par le centre."),
    "premises.mean_response_hours": N_(
        "Moyenne, sur les demandes décidées, des heures entre la demande et la décision."
    ),
    # Participation: confirmed registrations of the workshops not cancelled (see above).
    "participation.registrations": N_(
        "Inscriptions confirmées aux ateliers non annulés de la période."
    ),
    "participation.registrations_cancelled": N_(
        "Inscriptions annulées par la famille ou par l'équipe, aux ateliers non annulés."
    ),
    "participation.registrations_workshop_cancelled": N_(
        "Inscriptions confirmées à un atelier annulé en entier : elles ne comptent dans aucune "
        "autre ligne."
    ),
    "participation.places": N_(
        "Places prises par les inscriptions confirmées aux ateliers non annulés, au plus la "
        "capacité de chaque atelier."
    ),
    "participation.capacity": N_("Somme des capacités des ateliers non annulés."),
    "participation.fill_rate": N_(
        "Places occupées divisées par les places proposées : jamais plus de cent pour cent."
    ),
    "participation.waitlist_unserved": N_(
        "Inscriptions restées en liste d'attente aux ateliers non annulés, jamais confirmées."
    ),
    "participation.present": N_(
        "Pointages « présent » des inscriptions confirmées, séance par séance, aux séances "
        "tenues (non annulées et terminées au moment du calcul) des ateliers non annulés ; un "
        "pointage ne compte qu'une fois sa séance terminée."
    ),
    "participation.excused": N_("Pointages « absent excusé », comptés comme les présences."),
    "participation.absent": N_("Pointages « absent », comptés comme les présences."),
    "participation.attendance_rate": N_(
        "Présences divisées par la somme des présences, absences excusées et absences."
    ),
    "participation.families": N_(
        "Familles distinctes (une clé de famille par famille, gardée après effacement) ayant une "
        "inscription confirmée à un atelier non annulé."
    ),
    "participation.families_new": N_(
        "Familles distinctes sans inscription confirmée à un atelier non annulé commencé avant "
        "la période, dans la même portée."
    ),
    "participation.families_returning": N_(
        "Familles distinctes déjà inscrites à un atelier non annulé commencé avant la période, "
        "dans la même portée."
    ),
    "participation.commune_local": N_(
        "Familles distinctes dont une inscription confirmée donne une commune où son atelier se "
        "tient (communes comparées sous forme normalisée)."
    ),
    "participation.commune_elsewhere": N_(
        "Les autres familles distinctes : avec la ligne précédente, le total des familles."
    ),
    # Tables of counts by a label
    "table.Annulations": N_(
        "Ateliers annulés en entier et séances annulées d'ateliers maintenus, par motif et par "
        "auteur de l'annulation."
    ),
    "table.Thèmes": N_("Séances tenues, par thème de leur atelier."),
    "table.Âges": N_(
        "Enfants des inscriptions confirmées aux ateliers non annulés, par âge au mois de la "
        "première séance ; un enfant inscrit à deux ateliers compte deux fois."
    ),
    "table.Communes": N_(
        "Familles distinctes par commune de résidence, communes groupées sans accents, "
        "majuscules, traits d'union ni espaces en trop, sous l'orthographe la plus fréquente ; "
        "une famille qui a donné deux communes compte dans chacune."
    ),
    "table.Connaissance": N_(
        "Familles distinctes par façon dont elles ont connu l'atelier ; une famille qui a donné "
        "deux réponses compte dans chacune."
    ),
}
