"""Response-time cases as a literal table, shared by CPython and Pyodide tests.

Each case: (what it shows, plan, severity, submitted, expected due) with
times as ISO 8601 strings; `submitted` without an offset is German wall
time, `due` always carries the offset it must have in Europe/Berlin, and
``None`` means the plan names no target for that severity.

Calendar reminders: 2026-11-27 is a Friday; Easter Sunday is 2026-04-05
and 2027-03-28; clocks go forward on 2026-03-29 and back on 2026-10-25.
"""

from __future__ import annotations

CASES: list[tuple[str, str, int, str, str | None]] = [
    # ─── Basic, business hours (09:00–18:00 Mon–Fri, Europe/Berlin) ──────
    ("in hours", "basic", 3, "2026-11-25T10:00", "2026-11-26T13:00+01:00"),
    ("in hours, seconds kept", "basic", 3, "2026-11-25T10:00:30", "2026-11-26T13:00:30+01:00"),
    ("before opening", "basic", 3, "2026-11-25T07:15", "2026-11-26T12:00+01:00"),
    ("at opening", "basic", 3, "2026-11-30T09:00", "2026-12-01T12:00+01:00"),
    ("one minute before closing", "basic", 3, "2026-11-25T17:59", "2026-11-27T11:59+01:00"),
    ("exactly at closing", "basic", 3, "2026-11-25T18:00", "2026-11-27T12:00+01:00"),
    ("Friday evening (DESIGN.md)", "basic", 3, "2026-11-27T17:30", "2026-12-01T11:30+01:00"),
    ("Friday after closing", "basic", 3, "2026-11-27T20:00", "2026-12-01T12:00+01:00"),
    ("Saturday, 36 h end Thursday 18:00", "basic", 4, "2026-11-28T12:00", "2026-12-03T18:00+01:00"),
    ("Sunday night", "basic", 4, "2026-11-29T23:59", "2026-12-03T18:00+01:00"),
    ("Monday 09:00, 36 h", "basic", 4, "2026-11-30T09:00", "2026-12-03T18:00+01:00"),
    ("Monday 09:01, 36 h spill to Friday", "basic", 4, "2026-11-30T09:01", "2026-12-04T09:01+01:00"),
    # Christmas: 24 and 31 December are working days, 25/26 and 1 January not.
    ("before Christmas", "basic", 3, "2026-12-23T17:00", "2026-12-28T11:00+01:00"),
    ("on Christmas Day", "basic", 3, "2026-12-25T10:00", "2026-12-29T12:00+01:00"),
    ("New Year's Eve", "basic", 3, "2026-12-31T16:00", "2027-01-05T10:00+01:00"),
    # Easter: Karfreitag and Ostermontag.
    ("before Easter 2027", "basic", 3, "2027-03-25T15:00", "2027-03-30T18:00+02:00"),
    ("across Easter 2026, 36 h", "basic", 4, "2026-04-02T17:00", "2026-04-10T17:00+02:00"),
    ("on Karfreitag", "basic", 3, "2026-04-03T10:00", "2026-04-08T12:00+02:00"),
    ("Christi Himmelfahrt 2026", "basic", 3, "2026-05-13T17:00", "2026-05-18T11:00+02:00"),
    ("Pfingstmontag 2026", "basic", 3, "2026-05-22T17:00", "2026-05-27T11:00+02:00"),
    ("Tag der Deutschen Einheit 2025 (Friday)", "basic", 3, "2025-10-02T17:00", "2025-10-07T11:00+02:00"),
    ("business clock across the spring switch", "basic", 3, "2026-03-27T17:30", "2026-03-31T11:30+02:00"),
    ("business clock across the autumn switch", "basic", 3, "2026-10-23T17:30", "2026-10-27T11:30+01:00"),
    ("submitted with an offset (18:30 Berlin)", "basic", 3, "2026-11-27T17:30+00:00", "2026-12-01T12:00+01:00"),
    # ─── Round the clock: elapsed real time ───────────────────────────────
    ("Premium 30 minutes after closing", "premium", 1, "2026-11-27T17:45", "2026-11-27T18:15+01:00"),
    ("Premium 1 hour on a Sunday", "premium", 2, "2026-11-29T03:00", "2026-11-29T04:00+01:00"),
    ("Advanced 24 h over a holiday", "advanced", 4, "2026-12-24T12:00", "2026-12-25T12:00+01:00"),
    ("4 h across the spring switch (DESIGN.md)", "advanced", 2, "2026-03-29T01:30", "2026-03-29T06:30+02:00"),
    ("4 h across the autumn switch", "advanced", 2, "2026-10-25T01:30", "2026-10-25T04:30+01:00"),
    ("12 h across the autumn switch", "premium", 3, "2026-10-24T20:00", "2026-10-25T07:00+01:00"),
    ("submitted in UTC", "advanced", 2, "2026-07-01T10:00Z", "2026-07-01T16:00+02:00"),
    # ─── No target: say so, never invent one ─────────────────────────────
    ("Basic names no target for severity 1", "basic", 1, "2026-11-27T10:00", None),
    ("Basic names no target for severity 2", "basic", 2, "2026-11-27T10:00", None),
    ("Advanced names no target for severity 1", "advanced", 1, "2026-11-27T10:00", None),
]
