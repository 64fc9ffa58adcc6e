"""When must the first response to a ticket come?

``due_time(catalog, plan_id, severity, submitted)`` answers with a ``Due``
or, when the plan names no target for that severity, a ``NoTarget``.

Semantics (DESIGN.md, "Response-time rules"):

- ``round_the_clock``: the clock is elapsed real time. The due instant is
  the submission plus the target, counted in UTC, so a switch to or from
  summer time counts as it happens (01:30 + 4 h on the night clocks go
  forward is 06:30 local).
- ``business_hours``: the clock runs only inside business windows, the
  half-open local intervals [opens, closes) of each business day that is
  neither a holiday nor a closed day. A ticket that arrives outside a
  window starts the clock at the next opening. The due instant is the
  *earliest* instant at which the elapsed clock time reaches the target:
  a target that is used up exactly at closing time is due at closing
  (36 business hours from a Saturday: Thursday 18:00, not Friday 09:00).

All instants are timezone-aware; results are expressed in the business
zone (``Europe/Berlin`` in the data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .errors import CalculatorError
from .holidays import holidays_in
from .model import BusinessHours, Catalog, Clock, ResponseTarget

# The ISO 8601 forms accepted, checked before fromisoformat so that every
# Python version (CPython here, Pyodide in the browser) reads the same set.
_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?"
    r"(?:Z|[+-]\d{2}:\d{2})?",
    re.ASCII,
)

# A business clock that finds no open window within this many days has no
# working days at all (a data error, not a long wait).
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class Due:
    """The first response is due at ``due``.

    ``starts`` is when the clock started (the submission, or the next
    opening for a business clock); ``counted`` lists the intervals of
    clock time that make up the target, in order (one interval for a
    round-the-clock target).
    """

    plan_id: str
    severity: int
    target: ResponseTarget
    submitted: datetime
    starts: datetime
    due: datetime
    counted: tuple[tuple[datetime, datetime], ...]


@dataclass(frozen=True)
class NoTarget:
    """The plan names no response target for this severity."""

    plan_id: str
    severity: int
    submitted: datetime


def due_time(catalog: Catalog, plan_id: str, severity: int, submitted: object) -> Due | NoTarget:
    """The due instant of the first response to a ticket (see module doc).

    ``submitted`` goes through ``normalise_submission``: an aware datetime,
    a naive one (business-zone wall time) or an ISO 8601 string.
    """
    plan = catalog.plan(plan_id)
    catalog.severity(severity)  # refuses unknown levels
    hours = catalog.business_hours
    zone = business_zone(hours)
    start = normalise_submission(submitted, zone)
    target = plan.target_for(severity)
    if target is None:
        return NoTarget(plan_id, severity, start)
    length = timedelta(minutes=target.minutes)
    try:
        if target.clock is Clock.ROUND_THE_CLOCK:
            due = _in_zone(_utc(start) + length, zone)
            return Due(plan_id, severity, target, start, start, due, ((start, due),))
        counted = _business_intervals(hours, zone, start, length)
    except OverflowError:  # the due time would lie after the year 9999
        raise CalculatorError(
            f"submitted: no due time for {start.isoformat()} within the years 1 to 9999",
            code="submitted",
        ) from None
    return Due(plan_id, severity, target, start, counted[0][0], counted[-1][1], counted)


def business_zone(hours: BusinessHours) -> ZoneInfo:
    """The business hours' zone; CalculatorError if this runtime lacks it."""
    try:
        return ZoneInfo(hours.zone)
    except Exception as error:  # ZoneInfoNotFoundError, or no tz database at all
        raise CalculatorError(f"time zone {hours.zone!r} is not available: {error}", code="zone") from None


class WallKind(Enum):
    """How a local wall time maps to instants in a zone."""

    ORDINARY = "ordinary"  # exactly one instant
    REPEATED = "repeated"  # two instants: clocks go back, the hour happens twice
    SKIPPED = "skipped"  # no instant: clocks go forward over it


@dataclass(frozen=True)
class Submission:
    """A submission as the visitor sees it and the instant it means.

    ``wall`` is the naive local wall time in the business zone as entered
    (for an instant given in another offset: its wall time in the zone);
    ``moment`` is the aware instant in the zone; ``kind`` says whether
    ``wall`` is repeated or skipped there. For a repeated wall time
    ``moment`` is the occurrence the input's offset names (the first when
    it names none); a skipped one is read with the offset before the
    switch, as ``zoneinfo`` does (02:30 → 03:30 summer time).
    """

    wall: datetime
    moment: datetime
    kind: WallKind

    @property
    def offset(self) -> timedelta:
        """The UTC offset that, with ``wall``, names ``moment`` (for a
        skipped wall time the offset before the switch)."""
        return self.wall - _utc(self.moment).replace(tzinfo=None)


def normalise_submission(value: object, zone: ZoneInfo) -> datetime:
    """The one way in for a submission instant: an aware datetime in ``zone``.

    Accepts an aware datetime; a naive datetime, read as wall time in
    ``zone`` (a wall time skipped by a clock change is read with the offset
    before the change, a repeated one as its first occurrence, as
    ``zoneinfo`` does); or an ISO 8601 string such as
    ``2026-11-27T17:30`` (wall time in ``zone``) or ``2026-11-27T17:30+01:00``
    (also with a space for ``T``, with seconds, or ``Z`` for UTC).
    Seconds are kept; anything else, or an instant outside the years 1 to
    9999, raises CalculatorError(code="submitted").
    """
    return read_submission(value, zone).moment


def read_submission(value: object, zone: ZoneInfo) -> Submission:
    """``value`` (as for ``normalise_submission``) as wall time and instant.

    An offset that the zone can have at the input's wall time (``+01:00``
    or ``+02:00`` for Berlin's 02:30 on the night clocks go back) keeps that
    wall time and picks its occurrence; any other offset is an instant from
    elsewhere, shown at its wall time in ``zone``.
    """
    value = _parsed(value)
    try:
        if value.tzinfo is None or value.utcoffset() is None:
            wall = value.replace(tzinfo=None)
            moment = _in_zone(_utc(wall.replace(tzinfo=zone)), zone)
        else:
            wall = value.replace(tzinfo=None)
            if value.utcoffset() not in wall_offsets(wall, zone):
                wall = _in_zone(_utc(value), zone).replace(tzinfo=None)
            moment = _in_zone(_utc(value), zone)
        return Submission(wall, moment, wall_kind(wall, zone))
    except OverflowError:  # e.g. 0001-01-01T00:00 in Berlin is still year 0 in UTC
        raise CalculatorError(
            f"submitted: {value.isoformat()} lies outside the years 1 to 9999", code="submitted"
        ) from None


def wall_offsets(wall: datetime, zone: object) -> tuple[timedelta, timedelta]:
    """The zone's UTC offsets for naive ``wall``: (first reading, second
    reading); equal unless a clock change repeats or skips ``wall``."""
    first = wall.replace(tzinfo=zone, fold=0).utcoffset()  # type: ignore[arg-type]
    second = wall.replace(tzinfo=zone, fold=1).utcoffset()  # type: ignore[arg-type]
    return first, second  # type: ignore[return-value]


def wall_kind(wall: datetime, zone: ZoneInfo) -> WallKind:
    """Whether naive ``wall`` happens once, twice or never in ``zone``."""
    first, second = wall_offsets(wall, zone)
    if first == second:
        return WallKind.ORDINARY
    there = _in_zone(_utc(wall.replace(tzinfo=zone)), zone).replace(tzinfo=None)
    return WallKind.REPEATED if there == wall else WallKind.SKIPPED


def _parsed(value: object) -> datetime:
    # An ISO 8601 string or a datetime, else CalculatorError(code="submitted").
    if isinstance(value, str):
        try:
            if not _ISO_MOMENT.fullmatch(value.strip()):
                raise ValueError(value)
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise CalculatorError(
                f"submitted: expected a date and time such as 2026-11-27T17:30, found {value!r}",
                code="submitted",
            ) from None
    if not isinstance(value, datetime):
        raise CalculatorError(
            f"submitted: expected a datetime or an ISO 8601 string, found {type(value).__name__}",
            code="submitted",
        )
    return value


def closed_days(hours: BusinessHours, year: int) -> dict[date, str]:
    """Days of ``year`` on which the business clock does not run although
    they are business weekdays: holiday or closed day → its name ("" for
    an extra closed day)."""
    closed = {day: "" for day in hours.extra_closed_days if day.year == year}
    closed.update(holidays_in(hours.holidays, year))
    return closed


def _business_intervals(
    hours: BusinessHours, zone: ZoneInfo, start: datetime, length: timedelta
) -> tuple[tuple[datetime, datetime], ...]:
    # Walk the business windows from the submission until `length` of clock
    # time is used up; each window contributes the part after `cursor`.
    counted: list[tuple[datetime, datetime]] = []
    remaining = length
    cursor = start
    day = start.date()
    closed: dict[int, dict[date, str]] = {}
    for _ in range(_SEARCH_DAYS):
        window = _window(hours, zone, day, closed)
        if window is not None and _utc(cursor) < _utc(window[1]):
            begin = max(cursor, window[0], key=_utc)
            available = _utc(window[1]) - _utc(begin)
            if remaining <= available:
                end = _in_zone(_utc(begin) + remaining, zone)
                counted.append((begin, end))
                return tuple(counted)
            counted.append((begin, window[1]))
            remaining -= available
        day += timedelta(days=1)
    raise CalculatorError(
        f"business hours: no open window within {_SEARCH_DAYS} days", code="business_hours"
    )


def _window(
    hours: BusinessHours, zone: ZoneInfo, day: date, closed: dict[int, dict[date, str]]
) -> tuple[datetime, datetime] | None:
    # The day's business window [opens, closes) as aware datetimes, if open.
    if day.weekday() not in hours.days:
        return None
    if day.year not in closed:
        closed[day.year] = closed_days(hours, day.year)
    if day in closed[day.year]:
        return None
    return _at(day, hours.opens, zone), _at(day, hours.closes, zone)


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return _in_zone(_utc(datetime.combine(day, moment, tzinfo=zone)), zone)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)
