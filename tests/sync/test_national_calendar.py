"""The national calendar of public holidays and closures (sync.server.calendars): governed as
the catalog is (a drafter never approves; every version keeps who drafted and approved it),
published from the pages' rules or `odsc-server calendar publish`, handed to counters at their
next sync (a held version applied on its day, offline), and counted by the centre's figures.
A counter asking as before, or a new counter at a centre that predates the calendar, works as
it did. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, inspect, select, update

from odsc_desk.domain import national_calendar, service_requests
from odsc_desk.shared.calendar_file import parse_calendar
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.national_days import package_days
from sync import client, protocol
from sync.protocol import Problem
from sync.server import accounts, calendars, governance
from sync.server.db import calendars as calendars_table
from sync.server.db import open_db, writing
from sync.server.db import requests as centre_requests
from sync.server.figures.workdays import working_days_between
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import count_rows, enroll_counter, running_server
from tests.sync.test_client_push import configure, running_centre
from tests.sync.test_hierarchy import _cli, at_revision

NOW = FakeClock()()  # Thursday 26 November 2026, 09:00 in Vientiane
TODAY = local_date(NOW)
KIND = calendars.CALENDAR
EDITOR = governance.Who("Noy editor", "catalog_editor")
APPROVER = governance.Who("Vone approver", "catalog_approver")
ADMIN = governance.Who("Admin Sone", "admin")
# Thursday 3 December 2026, the day after National Day: declared closed for the whole country.
CLOSURE = {
    "date": "2026-12-03",
    "kind": "closure",
    "name_lo": "ພັກເພີ່ມຫຼັງວັນຊາດ",
    "name_en": "Extra National Day holiday",
}


def calendar_2026(version: int = 1, *extra: dict[str, str]) -> dict[str, Any]:
    return {
        "version": version,
        "label": "Holidays 2026",
        "years": [2026],
        "days": package_days([2026]) + list(extra),
    }


@pytest.fixture
def engine(server_db_url: str):
    made = open_db(server_db_url)
    with writing(made) as conn:
        for who in (EDITOR, APPROVER, ADMIN):
            accounts.add_token(conn, who.name, who.role, ["nation"], NOW)
    yield made
    made.dispose()


def _do(engine: Engine, action: Any, *args: Any) -> Any:
    with writing(engine) as conn:
        return action(conn, *args)


def _submitted(engine: Engine, drafter: governance.Who, *extra: dict[str, str]) -> int:
    draft_id = _do(engine, KIND.start, drafter, NOW)
    content = _do(engine, KIND.draft, draft_id)["calendar"]
    content = {**content, "days": content["days"] + list(extra)}
    _do(engine, KIND.save, drafter, draft_id, content, NOW)
    _do(engine, KIND.submit, drafter, draft_id, NOW)
    return draft_id


# -- governance -------------------------------------------------------------------------------


def test_a_first_draft_starts_from_the_package_with_both_names(engine):
    draft_id = _do(engine, KIND.start, EDITOR, NOW)
    found = _do(engine, KIND.draft, draft_id)
    assert found["base_version"] is None and found["drafted_by"] == EDITOR.name
    content = found["calendar"]
    assert content["years"] == [2026, 2027]
    national_day = next(d for d in content["days"] if d["date"] == "2026-12-02")
    assert national_day["kind"] == "holiday"
    assert national_day["name_en"] == "Lao National Day" and national_day["name_lo"] == "ວັນຊາດ"


def test_the_drafter_cannot_approve_and_every_version_keeps_who(engine):
    draft_id = _submitted(engine, ADMIN, CLOSURE)  # an admin may approve, but not their own
    before = count_rows(engine)
    with pytest.raises(Problem) as own:
        _do(engine, KIND.approve, ADMIN, draft_id, NOW)
    assert (own.value.status, own.value.code) == (403, "calendar.own_draft")
    with pytest.raises(Problem) as role:
        _do(engine, KIND.approve, EDITOR, draft_id, NOW)
    assert (role.value.status, role.value.code) == (403, "calendar.role")
    assert count_rows(engine) == before
    _do(engine, KIND.approve, APPROVER, draft_id, NOW)
    done = _do(engine, KIND.publish, APPROVER, draft_id, TODAY + timedelta(days=4), NOW)
    assert done["version"] == 1
    [version] = _do(engine, KIND.versions)
    assert (version["drafted_by"], version["approved_by"]) == (ADMIN.name, APPROVER.name)
    assert version["effective_from"] == "2026-11-30"
    shown = _do(engine, KIND.published, 1)["calendar"]
    assert CLOSURE in shown["days"] and shown["version"] == 1
    # The next draft starts from version 1 and shows no difference until it changes.
    second = _do(engine, KIND.start, EDITOR, NOW)
    assert _do(engine, KIND.draft, second)["base_version"] == 1
    assert calendars.difference(shown, _do(engine, KIND.draft, second)["calendar"]) == (
        [],
        [],
        [],
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ({**CLOSURE, "date": "2026-12-32"}, "is not a date written YYYY-MM-DD"),
        ({**CLOSURE, "date": "2026-12-02"}, "listed twice"),  # National Day is there already
        ({**CLOSURE, "name_en": " "}, f"days[{len(package_days([2026, 2027]))}].name_en"),
        ({**CLOSURE, "date": "2026-12-05"}, "Saturday or Sunday"),
        ({**CLOSURE, "date": "2028-01-03"}, "outside the calendar's years"),
        ({**CLOSURE, "kind": "strike"}, "holiday or closure"),
    ],
)
def test_a_bad_day_is_refused_in_both_languages_and_changes_nothing(engine, day, message):
    draft_id = _do(engine, KIND.start, EDITOR, NOW)
    content = _do(engine, KIND.draft, draft_id)["calendar"]
    before = count_rows(engine)
    held = _do(engine, KIND.draft, draft_id)
    with pytest.raises(ValidationError) as refused:
        _do(engine, KIND.save, EDITOR, draft_id, {**content, "days": content["days"] + [day]}, NOW)
    assert message in refused.value.message_en
    assert refused.value.message_lo and refused.value.message_lo != refused.value.message_en
    assert count_rows(engine) == before
    assert _do(engine, KIND.draft, draft_id) == held


def test_publishing_refuses_a_past_day_and_a_bad_date(engine):
    draft_id = _submitted(engine, EDITOR, CLOSURE)
    _do(engine, KIND.approve, APPROVER, draft_id, NOW)
    with pytest.raises(Problem) as past:
        _do(engine, KIND.publish, APPROVER, draft_id, TODAY - timedelta(days=1), NOW)
    assert (past.value.status, past.value.code) == (409, "reference.effective_past")
    with pytest.raises(Problem) as bad:
        KIND.parse_day("2026-02-30")
    assert (bad.value.status, bad.value.code) == (422, "calendar.effective_date")
    assert _do(engine, KIND.versions) == []
    assert _do(engine, KIND.draft, draft_id)["state"] == "approved"


# -- the command ------------------------------------------------------------------------------


def _file(tmp_path: Path, data: Any, name: str = "calendar.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("content", "drafter", "approver", "effective", "words"),
    [
        (calendar_2026(1, CLOSURE), ADMIN.name, ADMIN.name, None, "own calendar"),
        (calendar_2026(1, CLOSURE), EDITOR.name, EDITOR.name, None, "may not approve"),
        (calendar_2026(1, CLOSURE), EDITOR.name, APPROVER.name, "2020-01-01", "before today"),
        (calendar_2026(1, CLOSURE), EDITOR.name, APPROVER.name, "26/11/2026", "yyyy-mm-dd"),
        ("{not json", EDITOR.name, APPROVER.name, None, "cannot read the calendar file"),
        (calendar_2026(1, CLOSURE, CLOSURE), EDITOR.name, APPROVER.name, None, "listed twice"),
        ({**calendar_2026(1), "years": []}, EDITOR.name, APPROVER.name, None, "1 to 10"),
    ],
)
def test_the_command_refuses_what_the_pages_refuse(
    engine, capsys, tmp_path, content, drafter, approver, effective, words
):
    before = count_rows(engine)
    argv = ["calendar", "publish", _file(tmp_path, content), "--drafted-by", drafter]
    argv += ["--approved-by", approver, *(["--effective", effective] if effective else [])]
    code, out, err = _cli(capsys, *argv, "--db", engine.url.render_as_string(False))
    assert (code, out) == (1, "")
    assert words in err.lower(), err
    assert count_rows(engine) == before


def test_the_command_publishes_with_who_and_when(engine, capsys, tmp_path):
    day = (date.today() + timedelta(days=3)).isoformat()
    argv = ["calendar", "publish", _file(tmp_path, calendar_2026(1, CLOSURE))]
    argv += ["--drafted-by", EDITOR.name, "--approved-by", APPROVER.name, "--effective", day]
    code, out, err = _cli(capsys, *argv, "--db", engine.url.render_as_string(False))
    assert code == 0, err
    assert out == f"Calendar version 1 (Holidays 2026) published, in effect from {day}.\n"
    [version] = _do(engine, KIND.versions)
    assert (version["drafted_by"], version["approved_by"]) == (EDITOR.name, APPROVER.name)


# -- the counters -----------------------------------------------------------------------------


def _promise(c: Counter, name: str) -> str:
    """The return date a new five-day business-licence request is promised."""
    taken = service_requests.record_request(
        c.store, c.clerk, service_code="MOIC-BIZ-LIC", citizen_name=name
    )
    return str(taken["promised_date"])


def test_a_counter_promises_over_a_new_closure_from_its_day_only(server_db_url, sync_counter):
    c = sync_counter
    with running_server(server_db_url) as server:
        with writing(server.engine) as conn:
            for who in (EDITOR, APPROVER):
                accounts.add_token(conn, who.name, who.role, ["nation"], NOW)
        client.enroll(c.store, server.url, server.enroll_code("VTE-SST", 1))
        draft_id = _submitted(server.engine, EDITOR, CLOSURE)
        _do(server.engine, KIND.approve, APPROVER, draft_id, NOW)
        _do(server.engine, KIND.publish, APPROVER, draft_id, date(2026, 11, 30), NOW)
        result = client.sync_once(c.store)
        assert result.ok and result.calendar_version == 1, result
        assert client.sync_once(c.store).calendar_version is None  # 304: nothing new

        # Thursday 26 November: the calendar is held until Monday. Five working days: Fri 27,
        # Mon 30, Tue 1, (Wed 2 National Day), Thu 3, Fri 4.
        assert _promise(c, "ນາງ ນ້ອຍ") == "2026-12-04"
        # Monday 30 November, offline: the held version is in effect. Tue 1, (Wed 2, Thu 3
        # closed), Fri 4, Mon 7, Tue 8, Wed 9.
        c.clock.set_local(2026, 11, 30)
        assert _promise(c, "ທ້າວ ແກ້ວ") == "2026-12-09"
        # The request taken before keeps its date.
        kept = c.store.all("SELECT promised_date FROM requests ORDER BY rowid")
        assert [r["promised_date"] for r in kept] == ["2026-12-04", "2026-12-09"]
        assert [v["version"] for v in national_calendar.versions(c.store)] == [1]

        # The centre counts the request's working days by the same calendar: received Monday
        # 30 November, ready Friday 4 December: Tue 1 and Fri 4 (2 and 3 December are off).
        tracking = c.store.scalar("SELECT tracking FROM requests ORDER BY rowid DESC LIMIT 1")
        c.clock.set_local(2026, 12, 4)
        server.clock.moment = c.clock.moment
        for status in ("in_process", "ready"):
            service_requests.change_status(c.store, c.clerk, tracking, status)
        assert client.sync_once(c.store).ok
        with server.engine.connect() as conn:
            row = conn.execute(
                select(centre_requests.c.working_days).where(centre_requests.c.tracking == tracking)
            ).one()
        assert row.working_days == 2


def test_a_counter_asking_as_before_is_not_affected(server_db_url, sync_counter):
    """An old counter never asks for the calendar: its catalog answer and its pushes are as
    they were; the calendar's own answer is only for those who ask."""
    with running_server(server_db_url) as server:
        token = enroll_counter(server, sync_counter)
        server.publish_catalog(demo_catalog_path())
        auth = {"Authorization": f"Bearer {token}"}
        before = requests.get(server.url + protocol.REFERENCE, headers=auth, timeout=10)
        with writing(server.engine) as conn:
            calendars.publish_data(conn, calendar_2026(1, CLOSURE), server.clock())
        after = requests.get(server.url + protocol.REFERENCE, headers=auth, timeout=10)
        assert (after.status_code, after.content, after.headers["ETag"]) == (
            before.status_code,
            before.content,
            before.headers["ETag"],
        )
        asked = requests.get(server.url + protocol.CALENDAR, headers=auth, timeout=10)
        assert asked.status_code == 200 and asked.json()["version"] == 1
        assert CLOSURE in asked.json()["calendar"]["days"]
        again = requests.get(
            server.url + protocol.CALENDAR,
            headers={**auth, "If-None-Match": asked.headers["ETag"]},
            timeout=10,
        )
        assert again.status_code == 304
        nobody = requests.get(server.url + protocol.CALENDAR, timeout=10)
        assert nobody.status_code == 401


def test_a_new_counter_at_a_centre_without_the_calendar_keeps_the_package(sync_counter):
    """The scripted centre knows only protocol v1's paths as before: the calendar's is 404."""
    with running_centre() as old_centre:
        configure(sync_counter.store, old_centre.url)
        result = client.sync_once(sync_counter.store)
        assert result.ok and result.calendar_version is None, result
    assert national_calendar.versions(sync_counter.store) == []
    assert _promise(sync_counter, "ນາງ ນ້ອຍ") == "2026-12-04"  # the package's holidays


def test_a_calendar_damaged_on_the_way_imports_nothing(server_db_url, sync_counter):
    """A version whose text does not match the sha256 it names (a row damaged at the centre,
    or a body cut on the way) is refused whole: the counter keeps the package's days."""
    with running_server(server_db_url) as server:
        client.enroll(sync_counter.store, server.url, server.enroll_code("VTE-SST", 1))
        with writing(server.engine) as conn:
            calendars.publish_data(conn, calendar_2026(1, CLOSURE), server.clock())
            damaged = json.dumps(calendar_2026(1), ensure_ascii=False)  # the closure gone
            conn.execute(update(calendars_table).values(calendar=damaged))
        result = client.sync_once(sync_counter.store)
        assert not result.ok and result.error == "sync.calendar_mismatch", result
        assert "calendar" in (result.message_en or "")
        assert national_calendar.versions(sync_counter.store) == []
        assert national_calendar.etag(sync_counter.store) is None


def test_centre_working_days_count_the_published_calendar():
    calendar = parse_calendar(calendar_2026(1, CLOSURE))
    monday, friday = date(2026, 11, 30), date(2026, 12, 4)
    assert working_days_between(monday, friday, set()) == 3  # the package: only National Day
    assert working_days_between(monday, friday, set(), calendar) == 2
    # A year the calendar does not cover keeps the package's holidays.
    assert working_days_between(date(2027, 4, 12), date(2027, 4, 19), set(), calendar) == 2


# -- migration 0012 ---------------------------------------------------------------------------


def test_0012_upgrades_a_0011_database_and_the_figures_count_as_before(server_db_url):
    at_revision(server_db_url, "0011")
    engine = open_db(server_db_url)  # upgrades to head
    try:
        names = inspect(engine).get_table_names()
        assert "calendars" in names and "calendar_drafts" in names
        with engine.connect() as conn:
            assert calendars.in_effect(conn, TODAY) is None
            assert conn.execute(select(calendars_table)).first() is None
    finally:
        engine.dispose()
