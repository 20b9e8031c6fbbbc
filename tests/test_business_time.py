"""Business time: hours on the local wall clock, weekends and NL holidays skipped, DST-safe."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.business_time import BusinessHours

AMS = ZoneInfo("Europe/Amsterdam")
OFFICE = BusinessHours()
HOUR = 3600
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def test_a_business_day_from_nine_to_five_has_eight_hours() -> None:
    assert OFFICE.seconds_per_day == 8 * HOUR
    assert OFFICE.seconds_between(ams(2026, 11, 23, 0), ams(2026, 11, 24, 0)) == 8 * HOUR


def test_one_business_day_after_friday_afternoon_is_monday_at_the_same_time() -> None:
    # Friday 16:00-17:00 is one hour; the other seven run Monday 09:00-16:00.
    # (The brief said Monday 15:00, which would be nine hours; 16:00 is the 8-hour answer.)
    assert OFFICE.add_days(ams(2026, 11, 20, 16), 1) == ams(2026, 11, 23, 16)


def test_one_business_day_after_saturday_morning_ends_at_monday_closing() -> None:
    assert OFFICE.add_days(ams(2026, 11, 21, 11), 1) == ams(2026, 11, 23, 17)


def test_one_business_day_after_friday_closing_ends_at_monday_closing() -> None:
    assert OFFICE.add_days(ams(2026, 11, 20, 17, 30), 1) == ams(2026, 11, 23, 17)


def test_the_result_is_utc_whatever_zone_came_in() -> None:
    moment = OFFICE.add_seconds(datetime(2026, 11, 23, 9, tzinfo=UTC), HOUR)
    assert moment.tzinfo is UTC
    assert moment == ams(2026, 11, 23, 11)


def test_zero_seconds_inside_hours_is_the_start_itself() -> None:
    assert OFFICE.add_seconds(ams(2026, 11, 23, 10, 15), 0) == ams(2026, 11, 23, 10, 15)


@pytest.mark.parametrize(
    ("start", "opening"),
    [
        (ams(2026, 11, 23, 7), ams(2026, 11, 23, 9)),
        (ams(2026, 11, 23, 17), ams(2026, 11, 24, 9)),
        (ams(2026, 11, 21, 12), ams(2026, 11, 23, 9)),
    ],
)
def test_zero_seconds_outside_hours_is_the_next_opening(start: datetime, opening: datetime) -> None:
    assert OFFICE.add_seconds(start, 0) == opening


@pytest.mark.parametrize(
    ("day", "is_business_day"),
    [
        (date(2026, 11, 23), True),
        (date(2026, 11, 22), False),
        (date(2026, 4, 27), False),
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), True),
    ],
)
def test_weekends_and_public_holidays_are_not_business_days(
    day: date, is_business_day: bool
) -> None:
    assert OFFICE.is_business_day(day) is is_business_day


def test_christmas_and_the_weekend_after_it_are_skipped() -> None:
    assert OFFICE.add_days(ams(2026, 12, 24, 16), 1) == ams(2026, 12, 28, 16)


def test_kings_day_is_skipped() -> None:
    assert OFFICE.add_days(ams(2026, 4, 24, 16), 1) == ams(2026, 4, 28, 16)


def test_hours_stay_on_the_wall_clock_when_summer_time_ends() -> None:
    # 2026-10-25: Amsterdam goes from UTC+2 to UTC+1.
    monday = OFFICE.add_days(ams(2026, 10, 23, 16), 1)
    assert monday == ams(2026, 10, 26, 16)
    assert monday == datetime(2026, 10, 26, 15, tzinfo=UTC)
    assert OFFICE.seconds_between(ams(2026, 10, 23, 9), ams(2026, 10, 26, 17)) == 16 * HOUR


def test_hours_stay_on_the_wall_clock_when_summer_time_starts() -> None:
    # 2026-03-29: Amsterdam goes from UTC+1 to UTC+2.
    monday = OFFICE.add_days(ams(2026, 3, 27, 16), 1)
    assert monday == ams(2026, 3, 30, 16)
    assert monday == datetime(2026, 3, 30, 14, tzinfo=UTC)
    assert OFFICE.seconds_between(ams(2026, 3, 27, 9), ams(2026, 3, 30, 17)) == 16 * HOUR


def test_a_whole_year_counts_every_business_day_once() -> None:
    # 2026 has 261 weekdays; 7 NL holidays fall on one (1 Jan, Good Friday, Easter Monday,
    # King's Day, Ascension, Whit Monday, Christmas Day).
    start, end = ams(2026, 1, 1), ams(2027, 1, 1)
    assert OFFICE.seconds_between(start, end) == 254 * 8 * HOUR
    assert OFFICE.add_days(start, 254) == ams(2026, 12, 31, 17)


def test_other_opening_hours_give_a_longer_day() -> None:
    long_days = BusinessHours(start_hour=8, end_hour=18)
    assert long_days.seconds_per_day == 10 * HOUR
    assert long_days.add_days(ams(2026, 11, 20, 17), 1) == ams(2026, 11, 23, 17)
    assert long_days.add_seconds(ams(2026, 11, 23, 6), 30 * 60) == ams(2026, 11, 23, 8, 30)
    assert long_days.seconds_between(ams(2026, 11, 23, 7), ams(2026, 11, 23, 19)) == 10 * HOUR


def test_seconds_between_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert OFFICE.seconds_between(ams(2026, 11, 23, 12), ams(2026, 11, 23, 12)) == 0
    assert OFFICE.seconds_between(ams(2026, 11, 23, 12), ams(2026, 11, 23, 10)) == 0


def test_seconds_between_counts_only_the_open_part_of_the_span() -> None:
    assert OFFICE.seconds_between(ams(2026, 11, 23, 16), ams(2026, 11, 24, 10)) == 2 * HOUR


@pytest.mark.parametrize(("start_hour", "end_hour"), [(17, 9), (9, 9), (-1, 17), (9, 25), (0, 25)])
def test_impossible_opening_hours_are_refused(start_hour: int, end_hour: int) -> None:
    with pytest.raises(ValueError, match="start_hour"):
        BusinessHours(start_hour=start_hour, end_hour=end_hour)


def test_the_whole_day_is_allowed() -> None:
    assert BusinessHours(start_hour=0, end_hour=24).seconds_per_day == 24 * HOUR


def test_an_unknown_time_zone_or_country_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        BusinessHours(timezone="Europe/Atlantis")
    with pytest.raises(ValueError, match="country"):
        BusinessHours(country="XX")


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 23, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.add_seconds(naive, 60)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.add_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.seconds_between(naive, ams(2026, 11, 24))
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.seconds_between(ams(2026, 11, 22), naive)


@pytest.mark.parametrize("seconds", [-1.0, math.nan, math.inf])
def test_negative_or_non_finite_durations_are_refused(seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        OFFICE.add_seconds(ams(2026, 11, 23, 10), seconds)


ZONES = st.sampled_from([UTC, AMS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")])
STARTS = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=ZONES,
    allow_imaginary=False,
)
# Up to about two years of business time, in whole and fractional seconds.
DURATIONS = st.one_of(
    st.integers(min_value=0, max_value=520 * 8 * HOUR).map(float),
    st.floats(min_value=0, max_value=520 * 8 * HOUR, allow_nan=False, allow_infinity=False),
)


@PROPERTY_SETTINGS
@given(start=STARTS, seconds=DURATIONS)
def test_counting_back_the_added_business_time_gives_the_same_seconds(
    start: datetime, seconds: float
) -> None:
    # Holds for any start: outside hours both functions begin at the next opening.
    inside = OFFICE.add_seconds(start, 0)
    for origin in (start, inside):
        end = OFFICE.add_seconds(origin, seconds)
        assert OFFICE.seconds_between(origin, end) == pytest.approx(seconds, abs=1e-6)


@PROPERTY_SETTINGS
@given(start=STARTS, first=DURATIONS, second=DURATIONS)
def test_adding_more_business_time_never_ends_earlier(
    start: datetime, first: float, second: float
) -> None:
    shorter, longer = sorted((first, second))
    assert OFFICE.add_seconds(start, shorter) <= OFFICE.add_seconds(start, longer)


@PROPERTY_SETTINGS
@given(start=STARTS, seconds=DURATIONS)
def test_added_business_time_ends_within_opening_hours(start: datetime, seconds: float) -> None:
    local = OFFICE.add_seconds(start, seconds).astimezone(AMS)
    assert OFFICE.is_business_day(local.date())
    assert (9, 0) <= (local.hour, local.minute) <= (17, 0)
    assert local.hour < 17 or (local.minute, local.second, local.microsecond) == (0, 0, 0)
