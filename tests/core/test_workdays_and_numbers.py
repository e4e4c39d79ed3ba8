from datetime import date

import pytest

from odsc_desk.domain import closures, service_requests
from odsc_desk.domain.workdays import add_working_days


@pytest.mark.parametrize(
    ("start", "days", "promised"),
    [
        (date(2026, 11, 26), 1, date(2026, 11, 27)),  # Thursday → Friday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday
        (date(2026, 11, 26), 3, date(2026, 12, 1)),
        # 2 December is Lao National Day: skipped.
        (date(2026, 12, 1), 1, date(2026, 12, 3)),
        # Lao New Year, 14–16 April 2026 (Tue–Thu).
        (date(2026, 4, 13), 1, date(2026, 4, 17)),
        (date(2026, 11, 26), 0, date(2026, 11, 26)),
    ],
)
def test_working_days_skip_weekends_and_lao_holidays(start, days, promised):
    assert add_working_days(start, days, set()) == promised


def test_office_closure_moves_the_promised_date(counter):
    before = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    assert before["promised_date"] == "2026-11-27"
    closures.add_closure(counter.store, counter.supervisor, date(2026, 11, 27), "Boat racing")
    after = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="Ket"
    )
    assert after["promised_date"] == "2026-11-30"
    # A request already taken keeps the date it was promised.
    assert (
        service_requests.get_request(counter.store, before["tracking"])["promised_date"]
        == "2026-11-27"
    )


def test_tracking_numbers_restart_each_local_day(counter):
    c = counter

    def take() -> str:
        return service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
        )["tracking"]

    assert take() == "VTE-SST-1-261126-0001"
    assert take() == "VTE-SST-1-261126-0002"
    # 23:30 in Vientiane is still the 26th; 00:10 is the 27th (UTC+7, not UTC).
    c.clock.set_local(2026, 11, 26, hour=23)
    c.clock.advance(minutes=30)
    assert take() == "VTE-SST-1-261126-0003"
    c.clock.advance(minutes=40)
    assert take() == "VTE-SST-1-261127-0001"
