"""Business days and hours per organisation: time that counts only while the office is open."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _holiday_dates(country: str, year: int) -> frozenset[date]:
    """The public holidays of `country` in `year`; cached because building them is slow."""
    return frozenset(holidays.country_holidays(country, years=year))


@lru_cache(maxsize=1)
def _supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment!r}")


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours in local wall-clock time, Monday to Friday, closed on public holidays.

    Every moment this class returns is UTC-aware; the time zone only decides where the
    local hours fall, so a day keeps its 9-17 on the wall clock across a DST change.
    """

    timezone: str = "Europe/Amsterdam"
    start_hour: int = 9
    end_hour: int = 17
    country: str = "NL"

    def __post_init__(self) -> None:
        if not 0 <= self.start_hour < self.end_hour <= 24:
            raise ValueError(
                f"need 0 <= start_hour < end_hour <= 24, got {self.start_hour}-{self.end_hour}"
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.timezone!r}") from error
        if self.country not in _supported_countries():
            raise ValueError(f"no public holidays known for country {self.country!r}")

    @property
    def seconds_per_day(self) -> int:
        return (self.end_hour - self.start_hour) * 3600

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holiday_dates(self.country, day.year)

    def add_seconds(self, start: datetime, seconds: float) -> datetime:
        """The moment `seconds` of business time after `start`; from the next opening if closed.

        Running out exactly at closing time gives the closing time, not the next opening, so
        one business day after Saturday 11:00 is Monday 17:00.
        """
        _require_aware(start, "start")
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"seconds must be finite and >= 0, got {seconds!r}")
        remaining = timedelta(seconds=seconds)
        windows = self._windows_from(start)
        while True:
            opens, closes = next(windows)
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens

    def add_days(self, start: datetime, days: float) -> datetime:
        return self.add_seconds(start, days * self.seconds_per_day)

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Business seconds in [start, end); 0 when end is not after start."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end <= start:
            return 0.0
        total = timedelta()
        for opens, closes in self._windows_from(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total.total_seconds()

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances per key

    def _window(self, day: date) -> tuple[datetime, datetime]:
        """Opening and closing of `day` in UTC, placed on the local wall clock.

        Adding hours to an aware local midnight is wall-clock arithmetic in Python, so
        the offset is worked out for the opening and the closing separately (DST).
        """
        midnight = datetime(day.year, day.month, day.day, tzinfo=self._zone)
        opens = midnight + timedelta(hours=self.start_hour)
        closes = midnight + timedelta(hours=self.end_hour)
        return opens.astimezone(UTC), closes.astimezone(UTC)

    def _windows_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open periods in UTC from `start` on, the first clipped to `start`; one step per day.

        Windows never cross local midnight (end_hour <= 24), so the search starts on the
        local date of `start`. The sequence is endless; callers stop when they are done.
        """
        start = start.astimezone(UTC)
        day = start.astimezone(self._zone).date()
        while True:
            if self.is_business_day(day):
                opens, closes = self._window(day)
                # opens == closes only when the hours fall in a DST gap; such a day has no time.
                if start < closes and opens < closes:
                    yield max(opens, start), closes
            day += ONE_DAY
