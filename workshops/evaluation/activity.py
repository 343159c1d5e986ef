"""Activity indicators [activité]: workshops and sessions planned, held and cancelled, by theme,
session hours and facilitator hours.

A session is held when it is not cancelled, its workshop is not cancelled and it has ended.
"""

from __future__ import annotations

from typing import Any

from workshops.evaluation.scope import Frame
from workshops.evaluation.sql import dialect, fetch

_CANCELLED = "(s.cancelled_at IS NOT NULL OR w.status = 'cancelled')"
_HELD = f"(NOT {_CANCELLED} AND s.ends_at <= ?)"


async def compute_activity(*, frame: Frame) -> dict[str, Any]:
    totals = await _totals(frame)
    return {
        **totals,
        "themes": await _by_theme(frame),
        "cancellations": await _cancellations(frame),
    }


async def _totals(frame: Frame) -> dict[str, Any]:
    workshops, params = frame.workshops()
    hours = dialect().hours("s.starts_at", "s.ends_at")
    sql = (
        "SELECT COUNT(DISTINCT w.id) AS workshops_planned, "
        "COUNT(DISTINCT CASE WHEN w.status = 'cancelled' THEN w.id END) AS workshops_cancelled, "
        f"COUNT(DISTINCT CASE WHEN {_HELD} THEN w.id END) AS workshops_held, "
        "COUNT(s.id) AS sessions_planned, "
        f"SUM(CASE WHEN {_CANCELLED} THEN 1 ELSE 0 END) AS sessions_cancelled, "
        f"SUM(CASE WHEN {_HELD} THEN 1 ELSE 0 END) AS sessions_held, "
        f"SUM(CASE WHEN {_HELD} THEN {hours} ELSE 0 END) AS session_hours, "
        f"SUM(CASE WHEN {_HELD} THEN {hours} * "
        "(SELECT COUNT(*) FROM workshop_facilitator f WHERE f.workshop_id = w.id) "
        "ELSE 0 END) AS facilitator_hours "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        "JOIN workshop_session s ON s.workshop_id = w.id"
    )
    now = frame.now
    [row] = await fetch(sql, [now, now, now, now, *params])
    return {
        "workshops_planned": int(row["workshops_planned"] or 0),
        "workshops_held": int(row["workshops_held"] or 0),
        "workshops_cancelled": int(row["workshops_cancelled"] or 0),
        "sessions_planned": int(row["sessions_planned"] or 0),
        "sessions_held": int(row["sessions_held"] or 0),
        "sessions_cancelled": int(row["sessions_cancelled"] or 0),
        "session_hours": round(float(row["session_hours"] or 0), 2),
        "facilitator_hours": round(float(row["facilitator_hours"] or 0), 2),
    }


async def _by_theme(frame: Frame) -> list[dict[str, Any]]:
    workshops, params = frame.workshops()
    hours = dialect().hours("s.starts_at", "s.ends_at")
    sql = (
        "SELECT t.name AS theme, COUNT(DISTINCT w.id) AS workshops, "
        f"SUM(CASE WHEN {_HELD} THEN 1 ELSE 0 END) AS sessions_held, "
        f"SUM(CASE WHEN {_HELD} THEN {hours} ELSE 0 END) AS session_hours "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        "JOIN theme t ON t.id = w.theme_id JOIN workshop_session s ON s.workshop_id = w.id "
        "GROUP BY t.name ORDER BY t.name"
    )
    rows = await fetch(sql, [frame.now, frame.now, *params])
    return [
        {
            "theme": row["theme"],
            "workshops": int(row["workshops"]),
            "sessions_held": int(row["sessions_held"] or 0),
            "session_hours": round(float(row["session_hours"] or 0), 2),
        }
        for row in rows
    ]


async def _cancellations(frame: Frame) -> list[dict[str, Any]]:
    """Cancelled workshops, and cancelled sessions of workshops that went on: who and why.

    Who comes from the audit event of the cancellation (the staff member's name).
    """
    workshops, params = frame.workshops()
    sql = (
        "SELECT 'workshop' AS level, w.cancel_reason AS reason, "
        "COALESCE(u.full_name, e.actor_label, '') AS who, COUNT(DISTINCT w.id) AS count "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        "LEFT JOIN audit_event e ON e.action = 'workshop.cancelled' "
        "AND e.object_id = CAST(w.id AS VARCHAR(60)) "
        "LEFT JOIN staff_user u ON u.id = e.actor_id "
        "WHERE w.status = 'cancelled' GROUP BY w.cancel_reason, COALESCE(u.full_name, "
        "e.actor_label, '') "
        "UNION ALL "
        "SELECT 'session' AS level, s.cancel_reason AS reason, "
        "COALESCE(u.full_name, e.actor_label, '') AS who, COUNT(DISTINCT s.id) AS count "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        "JOIN workshop_session s ON s.workshop_id = w.id "
        "LEFT JOIN audit_event e ON e.action = 'session.cancelled' "
        "AND e.object_id = CAST(s.id AS VARCHAR(60)) "
        "LEFT JOIN staff_user u ON u.id = e.actor_id "
        "WHERE w.status <> 'cancelled' AND s.cancelled_at IS NOT NULL "
        "GROUP BY s.cancel_reason, COALESCE(u.full_name, e.actor_label, '') "
        "ORDER BY level DESC, count DESC, reason"
    )
    rows = await fetch(sql, [*params, *params])
    return [
        {
            "level": row["level"],
            "reason": row["reason"],
            "who": row["who"],
            "count": int(row["count"]),
        }
        for row in rows
    ]
