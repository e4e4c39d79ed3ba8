"""The national calendar in a counter's store (m010, odsc_desk.domain.national_calendar): a
store an older release wrote gains the tables on opening and promises by the package's
holidays until a calendar comes; then by the calendar from its effective day, for the years it
covers only."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from odsc_desk.domain import national_calendar, service_requests, workdays
from odsc_desk.shared.calendar_file import parse_calendar
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.national_days import package_days
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, FakeClock
from tests.core.test_upgrade import old_store

CLOSURE = {
    "date": "2026-12-03",
    "kind": "closure",
    "name_lo": "ພັກເພີ່ມຫຼັງວັນຊາດ",
    "name_en": "Extra National Day holiday",
}


def _calendar(version: int, effective: str | None, *extra: dict[str, str]) -> dict:
    data = {
        "version": version,
        "label": f"Holidays v{version}",
        "years": [2026],
        "days": package_days([2026]) + list(extra),
    }
    return data if effective is None else {**data, "effective_from": effective}


def _insert(store, data: dict) -> bool:
    sha = hashlib.sha256(canonical(data)).hexdigest()
    with store.transaction():
        return national_calendar.insert_version(store, parse_calendar(data), sha, data)


@pytest.fixture
def upgraded(tmp_path):
    clock = FakeClock()
    clock.set_local(2026, 11, 30)  # a Monday
    store = open_store(old_store(tmp_path, "store_m002.sqlite3"), clock=clock, hasher=FAST_HASHER)
    yield store
    store.close()


def test_an_old_store_promises_by_the_package_then_by_the_calendar_from_its_day(upgraded):
    store = upgraded
    assert national_calendar.versions(store) == [] and national_calendar.etag(store) is None
    # Tue 1, (Wed 2 National Day), Thu 3, Fri 4, Mon 7, Tue 8.
    assert service_requests.promised_date(store, 5) == date(2026, 12, 8)
    assert _insert(store, _calendar(1, "2026-12-01", CLOSURE))
    assert not _insert(store, _calendar(1, "2026-12-01", CLOSURE))  # the same again: nothing
    # Held until Tuesday: Monday's promise is the package's still.
    assert service_requests.promised_date(store, 5) == date(2026, 12, 8)
    # From Tuesday: Thu 3 is closed too. Fri 4, Mon 7, Tue 8, Wed 9, Thu 10.
    assert service_requests.promised_date(store, 5, date(2026, 12, 1)) == date(2026, 12, 10)
    # 2027 is not covered: the package's Lao New Year (14 to 16 April) still counts.
    days_off = workdays.office_closures(store, date(2026, 12, 1))
    assert days_off.calendar is not None and days_off.calendar.version == 1
    assert not workdays.is_working_day(date(2027, 4, 14), days_off)
    assert workdays.is_working_day(date(2026, 12, 3), set())  # a plain set: the package only


def test_a_clashing_or_older_version_is_refused_and_changes_nothing(upgraded):
    store = upgraded
    _insert(store, _calendar(2, None))
    with pytest.raises(ValidationError) as clash:
        _insert(store, _calendar(2, None, CLOSURE))
    assert clash.value.code == "calendar.version_clash" and clash.value.message_lo
    with pytest.raises(ValidationError) as older:
        _insert(store, _calendar(1, None))
    assert older.value.code == "calendar.version_old"
    assert [v["version"] for v in national_calendar.versions(store)] == [2]
