"""Report dates are business dates a counter could have written: from 2020-01-01 to a year
after the centre's today. Anything else is a 422 `report.date`, never a day of zeros: `/days/0`
(which a date parser reads as 1970-01-01) and `/days/1699920000` (2023-11-14) included.
`odsc-server stats --date` holds to the same.
"""

from datetime import date, timedelta

import pytest

from odsc_desk.domain import cash
from sync import protocol
from sync.protocol import Problem
from sync.server import cli, reports
from tests.conftest import FakeClock
from tests.sync.conftest import assert_problem, enroll_counter, get, make_office_counter, visit

# The centre's clock (the fixtures' FakeClock) stands at 2026-11-26.


@pytest.fixture(scope="module")
def office(shared_server, tmp_path_factory):
    c = make_office_counter(tmp_path_factory.mktemp("sst"), FakeClock())
    enroll_counter(shared_server, c)
    cash.open_cash(c.store, c.clerk, 0)
    visit(c)
    yield shared_server.viewer_token()
    c.store.close()


def _day(server, viewer, day):
    return get(f"{server.url}{protocol.REPORTS}/offices/VTE-SST/days/{day}", viewer)


@pytest.mark.parametrize("day", ["2020-01-01", "2026-11-26", "2027-11-26"])
def test_a_date_within_the_bounds_is_answered(shared_server, office, day):
    reply = _day(shared_server, office, day)
    assert reply.status_code == 200, reply.text
    assert reply.json()["date"] == day


@pytest.mark.parametrize(
    "day",
    ["0", "1699920000", "1970-01-01", "2019-12-31", "2027-11-27", "9999-12-31", "0001-01-01"],
)
def test_a_date_out_of_bounds_is_refused(shared_server, office, day):
    problem = assert_problem(_day(shared_server, office, day), 422, "report.date")
    assert day in problem["detail"]


@pytest.mark.parametrize(("day", "code"), [("2019-12-31", 1), ("2026-11-26", 0)])
def test_stats_holds_to_the_same_bounds(shared_server, office, capsys, day, code):
    argv = ["stats", "--office", "VTE-SST", "--date", day, "--json", "--db", shared_server.db_url]
    assert cli.main(argv) == code
    out, err = capsys.readouterr()
    if code:
        assert out == "" and err.count("\n") == 1 and "2019-12-31" in err and "2020-01-01" in err
    else:
        assert err == "" and '"date": "2026-11-26"' in out


@pytest.mark.parametrize(
    ("today", "last"),
    [(date(2026, 11, 26), date(2027, 11, 26)), (date(2028, 2, 29), date(2029, 2, 28))],
)
def test_a_year_after_today(today, last):
    assert reports.check_day(last, today) == last
    with pytest.raises(Problem) as refused:
        reports.check_day(last + timedelta(days=1), today)
    assert refused.value.code == "report.date"
