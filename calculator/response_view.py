"""The response-time calculator's answer, ready to show.

``response_view`` takes the plan, the severity and the submission as the
page has them, asks ``response_time.due_time`` and writes every instant and
duration in the page language's notation (``calculator.formats``, German
by default), with the words from the catalog of that language
(``messages.response_time``, ``messages.weekdays``). The page puts the
texts in as text. Plain data, so CPython and Pyodide can be compared.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from .errors import CalculatorError
from .formats import DEFAULT_LANGUAGE, formats_for
from .model import WEEKDAYS, Catalog, Clock
from .response_link import date_iso, link_value, offset_text
from .response_time import (
    Due,
    Submission,
    WallKind,
    business_zone,
    closed_days,
    due_time,
    normalise_submission,
    read_submission,
    wall_offsets,
)
from .texts import fill

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR


def response_view(
    catalog: Catalog,
    plan_id: str,
    severity: int,
    submitted: str,
    *,
    now: str | None = None,
    visitor_zone: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """The due time of a ticket as display texts.

    ``submitted`` and ``now`` are ISO 8601 (``now`` with an offset, from the
    visitor's clock; without it there is no remaining time). ``visitor_zone``
    is the visitor's IANA zone; the due time is shown there too when its
    offset differs from the business zone's at that instant. Returns
    ``{"ok": False, "code", "message"}`` for a submission that cannot be
    read, ``{"ok": True, "has_target": False, "message"}`` when the plan
    names no target, else the due time, remaining time and counted hours.
    Instants are written in the notation of ``lang`` (``Di., 01.12.2026,
    11:30 Uhr``; English ``Tue, 1 Dec 2026, 11:30``) without the zone:
    ``due_zone`` names it (``MEZ``; ``CET`` in the English data), and the
    page writes it next to the time.
    """
    formats_for(lang)  # an unknown language is refused before any work
    texts = catalog.messages["response_time"]
    try:
        entry = read_submission(submitted, business_zone(catalog.business_hours))
        result = due_time(catalog, plan_id, severity, entry.moment)
    except CalculatorError as error:
        if error.code != "submitted":
            raise
        return {"ok": False, "code": error.code, "message": texts["bad_submitted"]}
    plan = catalog.plan(plan_id)
    entered = {"submitted": moment_text(catalog, result.submitted, lang), "entry": entry_view(catalog, entry, lang),
               "eingang": link_value(entry)}
    if not isinstance(result, Due):
        message = fill(texts["no_target"], plan=plan.name, severity=severity)
        return {"ok": True, "has_target": False, "message": message, **entered}
    return {
        "ok": True,
        "has_target": True,
        "plan": plan_id,
        "severity": severity,
        "clock": result.target.clock.value,
        **entered,
        "starts": moment_text(catalog, result.starts, lang),
        "clock_waits": result.starts != result.submitted,
        "due": moment_text(catalog, result.due, lang),
        "due_zone": zone_label(catalog, result.due),
        "due_iso": result.due.isoformat(),
        "due_visitor": _visitor_text(catalog, result, visitor_zone, lang),
        "remaining": _remaining_text(catalog, result, now),
        "counted": [_interval(catalog, start, end, lang) for start, end in result.counted]
        if result.target.clock is Clock.BUSINESS_HOURS else [],
    }


def entry_view(catalog: Catalog, entry: Submission, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The submission as the form shows it: ``date`` and ``time`` (minutes)
    of the German wall time, ``zone`` (MEZ or MESZ for that instant),
    ``kind``, ``offset`` (``+01:00``; None for an ordinary wall time),
    ``choices`` (both readings of a repeated wall time: offset and label)
    and ``note`` (what a repeated or skipped wall time was read as), in
    the notation of ``lang``."""
    fmt = formats_for(lang)
    texts = catalog.messages["response_time"]
    wall = entry.wall
    zone = entry.moment.tzinfo
    shown = {"date": date_iso(wall), "time": wall.strftime("%H:%M"), "zone": zone_label(catalog, entry.moment)}
    readings = [wall.replace(tzinfo=zone, fold=fold) for fold in (0, 1)]
    choices, note = [], None
    if entry.kind is WallKind.REPEATED:
        choices = [{"offset": offset_text(offset), "label": fill(texts["choice"], time=shown["time"],
                                                                  zone=zone_label(catalog, reading))}
                   for offset, reading in zip(wall_offsets(wall, zone), readings)]
        note = fill(texts["repeated"], date=fmt.format_date(wall.date()), time=fmt.format_time(wall),
                    chosen=fmt.format_zoned_time(wall, shown["zone"]))
    elif entry.kind is WallKind.SKIPPED:
        note = fill(texts["skipped"], date=fmt.format_date(wall.date()), time=fmt.format_time(wall),
                    used=fmt.format_zoned_time(entry.moment, shown["zone"]),
                    zone=zone_label(catalog, readings[entry.offset != wall_offsets(wall, zone)[0]]))
    offset = None if entry.kind is WallKind.ORDINARY else offset_text(entry.offset)
    return {**shown, "kind": entry.kind.value, "offset": offset, "choices": choices, "note": note}


def zone_label(catalog: Catalog, moment: datetime) -> str:
    """MEZ or MESZ (the data's words) for an instant in the business zone."""
    texts = catalog.messages["response_time"]
    return texts["zone_summer"] if moment.dst() else texts["zone_standard"]


def moment_text(catalog: Catalog, moment: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """``Di., 01.12.2026, 11:30 Uhr`` (English ``Tue, 1 Dec 2026, 11:30``)
    with the weekday names of the catalog."""
    return f"{day_text(catalog, moment, lang)}, {formats_for(lang).format_time(moment)}"


def day_text(catalog: Catalog, day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """``Di., 01.12.2026`` (English ``Tue, 1 Dec 2026``; of a date, or of a
    datetime's date)."""
    weekday = catalog.messages["weekdays"][WEEKDAYS[day.weekday()]]
    return f"{weekday}, {formats_for(lang).format_date(day)}"


def holiday_texts(catalog: Catalog, year: int, lang: str = DEFAULT_LANGUAGE) -> tuple[tuple[str, str], ...]:
    """The holidays and extra closed days of ``year``, in date order:
    (``Fr., 03.04.2026``, name; "" for an extra closed day). One on a
    weekend is listed too; the clock stands then anyway."""
    closed = closed_days(catalog.business_hours, year)
    return tuple((day_text(catalog, day, lang), closed[day]) for day in sorted(closed))


def duration_text(catalog: Catalog, minutes: int) -> str:
    """``1 Tag, 2 Stunden, 5 Minuten`` (whole minutes; zero parts left out)."""
    units = catalog.messages["response_time"]
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    hours, minutes = divmod(rest, MINUTES_PER_HOUR)
    parts = [
        f"{count}\u00a0{units[name + '_one'] if count == 1 else units[name]}"
        for count, name in ((days, "days"), (hours, "hours"), (minutes, "minutes"))
        if count
    ]
    return ", ".join(parts) or f"0\u00a0{units['minutes']}"


def _visitor_text(catalog: Catalog, result: Due, visitor_zone: str | None, lang: str) -> dict[str, str] | None:
    # The due time in the visitor's zone, when its clock shows another time.
    if not visitor_zone:
        return None
    try:
        zone = ZoneInfo(visitor_zone)
    except Exception:  # an unknown or malformed zone name: show German time only
        return None
    try:
        local = result.due.astimezone(zone)
    except OverflowError:  # a due time at the end of 9999, in a zone east of it
        return None
    if local.utcoffset() == result.due.utcoffset():
        return None
    return {"zone": visitor_zone, "due": moment_text(catalog, local, lang)}


def _remaining_text(catalog: Catalog, result: Due, now: str | None) -> str | None:
    if not now:
        return None
    try:
        current = normalise_submission(now, business_zone(catalog.business_hours))
    except CalculatorError:
        return None
    seconds = (result.due.astimezone(timezone.utc) - current.astimezone(timezone.utc)).total_seconds()
    texts = catalog.messages["response_time"]
    if seconds >= 0:
        # Round down: "noch 2 Stunden" must never promise more time than left.
        return fill(texts["remaining"], duration=duration_text(catalog, int(seconds // 60)))
    return fill(texts["overdue"], duration=duration_text(catalog, int(-seconds // 60)))


def _interval(catalog: Catalog, start: datetime, end: datetime, lang: str) -> dict[str, str]:
    minutes = int((end.astimezone(timezone.utc) - start.astimezone(timezone.utc)).total_seconds() // 60)
    return {
        "day": day_text(catalog, start, lang),
        "from": start.strftime("%H:%M"),
        "to": end.strftime("%H:%M"),
        "duration": duration_text(catalog, minutes),
    }
