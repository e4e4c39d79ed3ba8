"""The fee catalog, governed (sync.server.governance): a draft goes from its editor to another
person's approval and is published with an effective date; every refusal changes nothing. The
reference endpoint hands an old counter only the version in effect today. Migration 0008
upgrades a 0007 database holding catalogs. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, inspect, select, text

from odsc_desk.domain import service_requests
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import demo_catalog_path, snapshot_etag
from odsc_desk.shared.clock import local_date
from sync import client, protocol
from sync.protocol import Problem
from sync.server import accounts, governance, reference
from sync.server.db import catalogs, make_engine, open_db, writing
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import count_rows, enroll_counter, running_server
from tests.sync.test_client_push import Reply, configure, running_centre
from tests.sync.test_hierarchy import _cli, at_revision

DEMO = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
NOW = FakeClock()()
TODAY = local_date(NOW)
EDITOR = governance.Who("Noy editor", "catalog_editor")
OTHER_EDITOR = governance.Who("Kham editor", "catalog_editor")
APPROVER = governance.Who("Vone approver", "catalog_approver")
ADMIN = governance.Who("Admin Sone", "admin")
VIEWER = governance.Who("Viewer Bee", "viewer")


@pytest.fixture
def engine(server_db_url: str):
    """A centre at head with the demo catalog published as version 1 (ungoverned, as before)."""
    made = open_db(server_db_url)
    with writing(made) as conn:
        reference.publish(conn, demo_catalog_path(), NOW)
    yield made
    made.dispose()


def _do(engine: Engine, action: Any, *args: Any) -> Any:
    with writing(engine) as conn:
        return action(conn, *args)


def _with_birth_fee(data: dict[str, Any], fee: int) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for service in changed["services"]:
        if service["code"] == "MOHA-BIRTH":
            service["fee"] = fee
    return changed


def _approved(engine: Engine, fee: int = 25_000) -> int:
    """A draft by EDITOR with the birth fee changed, submitted and approved by APPROVER."""
    draft_id = _do(engine, governance.start, EDITOR, NOW)
    content = _do(engine, governance.draft, draft_id)["catalog"]
    _do(engine, governance.save, EDITOR, draft_id, _with_birth_fee(content, fee), NOW)
    _do(engine, governance.submit, EDITOR, draft_id, NOW)
    _do(engine, governance.approve, APPROVER, draft_id, NOW)
    return int(draft_id)


def test_a_draft_goes_from_editor_to_approver_to_a_dated_version(engine):
    draft_id = _approved(engine)
    effective = TODAY + timedelta(days=5)
    done = _do(engine, governance.publish, APPROVER, draft_id, effective, NOW)
    assert (done["version"], done["effective_from"]) == (2, effective.isoformat())
    listed = _do(engine, governance.versions)
    assert [(v["version"], v["drafted_by"], v["approved_by"]) for v in listed] == [
        (2, EDITOR.name, APPROVER.name),
        (1, None, None),
    ]
    assert listed[0]["effective_from"] == effective.isoformat()
    stored = _do(engine, governance.published, 2)["catalog"]
    assert stored["version"] == 2 and stored["effective_from"] == effective.isoformat()
    assert _do(engine, governance.draft, draft_id)["state"] == "published"
    assert _do(engine, governance.drafts) == []


def test_the_difference_names_added_removed_and_changed_services():
    new = _with_birth_fee(DEMO, 25_000)
    new["services"] = [s for s in new["services"] if s["code"] != "MONRE-LAND"]
    new["services"].append({**DEMO["services"][0], "code": "MOIC-NEW", "name_en": "New one"})
    found = governance.difference(DEMO, new)
    assert [s["code"] for s in found.added] == ["MOIC-NEW"]
    assert [s["code"] for s in found.removed] == ["MONRE-LAND"]
    assert found.changed == [governance.Change("MOHA-BIRTH", "fee", 10_000, 25_000)]
    assert found.label is None and not found.empty
    assert governance.difference(DEMO, DEMO).empty


def _refused(engine: Engine, code: str, action: Any, *args: Any) -> None:
    before = count_rows(engine)
    with pytest.raises(Problem) as caught:
        _do(engine, action, *args)
    assert caught.value.code == code, caught.value.detail
    assert count_rows(engine) == before


def test_an_editor_cannot_approve_their_own_draft_even_as_an_admin(engine):
    draft_id = _do(engine, governance.start, ADMIN, NOW)
    _do(engine, governance.submit, ADMIN, draft_id, NOW)
    _refused(engine, "catalog.own_draft", governance.approve, ADMIN, draft_id, NOW)
    _refused(engine, "catalog.own_draft", governance.send_back, ADMIN, draft_id, "no", NOW)
    _do(engine, governance.approve, APPROVER, draft_id, NOW)  # another person may
    assert _do(engine, governance.draft, draft_id)["decided_by"] == APPROVER.name


def test_roles_are_checked_at_every_step(engine):
    _refused(engine, "catalog.role", governance.start, APPROVER, NOW)
    _refused(engine, "catalog.role", governance.start, VIEWER, NOW)
    draft_id = _do(engine, governance.start, EDITOR, NOW)
    _refused(engine, "catalog.not_drafter", governance.save, OTHER_EDITOR, draft_id, DEMO, NOW)
    _refused(engine, "catalog.not_drafter", governance.submit, OTHER_EDITOR, draft_id, NOW)
    _do(engine, governance.submit, EDITOR, draft_id, NOW)
    _refused(engine, "catalog.role", governance.approve, OTHER_EDITOR, draft_id, NOW)
    _refused(engine, "catalog.state", governance.save, EDITOR, draft_id, DEMO, NOW)
    _do(engine, governance.approve, APPROVER, draft_id, NOW)
    _refused(engine, "catalog.role", governance.publish, EDITOR, draft_id, TODAY, NOW)


def test_a_returned_draft_carries_its_reason_and_can_be_mended_and_submitted_again(engine):
    draft_id = _do(engine, governance.start, EDITOR, NOW)
    _do(engine, governance.submit, EDITOR, draft_id, NOW)
    _refused(engine, "catalog.reason_needed", governance.send_back, APPROVER, draft_id, "   ", NOW)
    _do(engine, governance.send_back, APPROVER, draft_id, "fee  too high", NOW)
    returned = _do(engine, governance.draft, draft_id)
    assert (returned["state"], returned["reason"]) == ("returned", "fee too high")
    _refused(engine, "catalog.state", governance.publish, APPROVER, draft_id, TODAY, NOW)
    _do(engine, governance.save, EDITOR, draft_id, _with_birth_fee(DEMO, 12_000), NOW)
    _do(engine, governance.submit, EDITOR, draft_id, NOW)
    assert _do(engine, governance.draft, draft_id)["reason"] is None


def test_a_draft_a_counter_would_refuse_is_not_saved(engine):
    draft_id = _do(engine, governance.start, EDITOR, NOW)
    bad = _with_birth_fee(DEMO, -5)
    before = count_rows(engine)
    with pytest.raises(Exception, match="fee"):
        _do(engine, governance.save, EDITOR, draft_id, bad, NOW)
    assert count_rows(engine) == before
    assert _do(engine, governance.draft, draft_id)["catalog"]["services"] == DEMO["services"]


def test_publishing_needs_an_approved_draft_a_day_not_past_and_the_same_base(engine):
    draft_id = _do(engine, governance.start, EDITOR, NOW)
    _refused(engine, "catalog.state", governance.publish, APPROVER, draft_id, TODAY, NOW)
    first, second = _approved(engine), _approved(engine, 30_000)
    yesterday = TODAY - timedelta(days=1)
    _refused(
        engine, "reference.effective_past", governance.publish, APPROVER, first, yesterday, NOW
    )
    _do(engine, governance.publish, APPROVER, first, TODAY + timedelta(days=3), NOW)
    # The second was compared with version 1: publishing it would undo version 2.
    _refused(engine, "catalog.base_moved", governance.publish, APPROVER, second, TODAY, NOW)


def test_versions_take_effect_in_the_order_of_their_numbers(engine):
    _do(engine, governance.publish, APPROVER, _approved(engine), TODAY + timedelta(days=10), NOW)
    later = _approved(engine, 40_000)
    _refused(
        engine,
        "reference.effective_order",
        governance.publish,
        APPROVER,
        later,
        TODAY + timedelta(days=2),
        NOW,
    )


# -- the command line ---------------------------------------------------------------------------


def _people(engine: Engine) -> None:
    with writing(engine) as conn:
        for who in (EDITOR, APPROVER, ADMIN):
            accounts.add_token(conn, who.name, who.role, ["nation"], NOW)


def _catalog_file(tmp_path: Path, version: int, fee: int) -> str:
    path = tmp_path / f"catalog{version}.json"
    path.write_text(json.dumps({**_with_birth_fee(DEMO, fee), "version": version}), "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("drafter", "approver", "effective", "words"),
    [
        (EDITOR.name, EDITOR.name, None, "may not approve"),
        (ADMIN.name, ADMIN.name, None, "own catalog"),
        (APPROVER.name, ADMIN.name, None, "may not draft"),
        ("Nobody", APPROVER.name, None, "no active account"),
        (EDITOR.name, APPROVER.name, "2020-01-01", "before today"),
        (EDITOR.name, APPROVER.name, "2030-02-30", "yyyy-mm-dd"),
    ],
)
def test_the_command_refuses_what_the_pages_refuse(
    engine, capsys, tmp_path, drafter, approver, effective, words
):
    _people(engine)
    before = count_rows(engine)
    argv = ["catalog", "publish", _catalog_file(tmp_path, 2, 20_000), "--drafted-by", drafter]
    argv += ["--approved-by", approver, *(["--effective", effective] if effective else [])]
    code, out, err = _cli(capsys, *argv, "--db", engine.url.render_as_string(False))
    assert (code, out) == (1, "")
    assert words in err.lower(), err
    assert count_rows(engine) == before


def test_the_command_publishes_with_who_and_when(engine, capsys, tmp_path):
    _people(engine)
    day = (date.today() + timedelta(days=40)).isoformat()
    argv = ["catalog", "publish", _catalog_file(tmp_path, 2, 20_000)]
    argv += ["--drafted-by", EDITOR.name, "--approved-by", ADMIN.name, "--effective", day]
    code, out, err = _cli(capsys, *argv, "--db", engine.url.render_as_string(False))
    assert code == 0, err
    assert out == f"Catalog version 2 ({DEMO['label']}) published, in effect from {day}.\n"
    [newest, _] = _do(engine, governance.versions)
    assert (newest["drafted_by"], newest["approved_by"], newest["effective_from"]) == (
        EDITOR.name,
        ADMIN.name,
        day,
    )


# -- what the counters are handed ----------------------------------------------------------------


def test_a_counter_asking_as_before_gets_only_the_version_in_effect(server_db_url, sync_counter):
    with running_server(server_db_url) as server:
        token = enroll_counter(server, sync_counter)
        with writing(server.engine) as conn:
            reference.publish(conn, demo_catalog_path(), server.clock())
        draft_id = _approved(server.engine)
        effective = local_date(server.clock()) + timedelta(days=2)
        _do(server.engine, governance.publish, APPROVER, draft_id, effective, server.clock())
        auth = {"Authorization": f"Bearer {token}"}
        old = requests.get(server.url + protocol.REFERENCE, headers=auth, timeout=10)
        assert old.json()["version"] == 1 and "upcoming" not in old.json()
        assert old.headers["ETag"] == f'"{old.json()["sha256"]}"'
        new = requests.get(
            server.url + protocol.REFERENCE,
            headers={**auth, "X-Reference-Upcoming": "1"},
            timeout=10,
        )
        assert new.json()["version"] == 1
        assert [u["version"] for u in new.json()["upcoming"]] == [2]
        assert new.headers["ETag"] != old.headers["ETag"]
        server.clock.advance(days=2)
        on_the_day = requests.get(server.url + protocol.REFERENCE, headers=auth, timeout=10)
        assert on_the_day.json()["version"] == 2


# -- migration 0008 -----------------------------------------------------------------------------


def test_0008_upgrades_a_0007_database_holding_published_catalogs(server_db_url):
    at_revision(server_db_url, "0007")
    catalog_text = json.dumps(DEMO, ensure_ascii=False)
    old = make_engine(server_db_url)  # no migration: the rows a 0007 centre held
    with writing(old) as conn:
        conn.execute(
            text(
                "INSERT INTO catalogs (version, label, sha256, catalog, published_at)"
                " VALUES (1, 'old', :sha, :catalog, '2026-11-01T00:00:00.000000Z')"
            ),
            {"sha": "0" * 64, "catalog": catalog_text},
        )
    old.dispose()
    engine = open_db(server_db_url)  # upgrades to head
    try:
        assert "catalog_drafts" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            row = conn.execute(select(catalogs)).one()
        assert (row.version, row.label, row.catalog) == (1, "old", catalog_text)
        assert (row.effective_from, row.drafted_by, row.approved_by) == (None, None, None)
        # The version published before governance is in effect, as it always was.
        assert _do(engine, governance.versions)[0]["version"] == 1
    finally:
        engine.dispose()


def _fee(c: Counter, name: str) -> int:
    """The fee a new birth-certificate request is taken at."""
    taken = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=name
    )
    return int(taken["fee"])


def test_a_counter_takes_the_held_version_and_charges_it_from_its_day(server_db_url, sync_counter):
    with running_server(server_db_url) as server:
        server.publish_catalog(demo_catalog_path())
        client.enroll(sync_counter.store, server.url, server.enroll_code("VTE-SST", 1))
        day = local_date(server.clock()) + timedelta(days=3)
        _do(server.engine, governance.publish, APPROVER, _approved(server.engine), day, NOW)
        assert client.sync_once(sync_counter.store).ok
        held = sync_counter.store.conn.execute(
            "SELECT version, effective_from FROM catalog_versions ORDER BY version"
        )
        assert [tuple(r) for r in held] == [(1, None), (2, day.isoformat())]
        sync_counter.clock.advance(hours=1)  # after version 2 was published
        assert _fee(sync_counter, "ນາງ ນ້ອຍ") == 10_000
        assert client.sync_once(sync_counter.store).catalog_version is None  # 304: nothing new
        sync_counter.clock.set_local(day.year, day.month, day.day, 8)
        # No sync on the day itself: the counter already holds the version.
        assert _fee(sync_counter, "ນາງ ແກ້ວ") == 25_000
        # At the centre both fees are right: the first was taken at version 1 after version 2
        # was published but before its day, so it is no "old version".
        server.clock.set_local(day.year, day.month, day.day, 9)
        assert client.sync_once(sync_counter.store).ok
        with server.engine.connect() as conn:
            checks = conn.execute(
                text("SELECT catalog_version, fee, fee_check FROM requests ORDER BY fee")
            )
            assert [tuple(r) for r in checks] == [(1, 10_000, "catalog"), (2, 25_000, "catalog")]


@pytest.mark.parametrize("fault", ["entry_sha", "etag"])
def test_a_held_version_that_does_not_prove_itself_imports_nothing(sync_counter, fault):
    """The in-effect version and a held one come together; if either fails its check, neither
    is taken and the counter keeps what it had."""
    current, held = {**DEMO, "version": 2}, {**_with_birth_fee(DEMO, 30_000), "version": 3}
    held["effective_from"] = "2027-01-01"
    shas = [hashlib.sha256(canonical(d)).hexdigest() for d in (current, held)]
    upcoming = {"version": 3, "label": held["label"], "sha256": shas[1], "catalog": held}
    if fault == "entry_sha":
        upcoming["sha256"] = "0" * 64
    tag = snapshot_etag(shas) if fault != "etag" else shas[0]
    body = {"version": 2, "label": current["label"], "sha256": shas[0], "catalog": current,
            "upcoming": [upcoming]}  # fmt: skip
    with running_centre() as centre:
        configure(sync_counter.store, centre.url)
        centre.script.reference = Reply.json(200, body, ETag=f'"{tag}"')
        result = client.sync_once(sync_counter.store)
        assert centre.script.headers[-1]["X-Reference-Upcoming"] == "1"
    assert not result.ok and result.error == "sync.reference_mismatch"
    held_here = sync_counter.store.conn.execute("SELECT version FROM catalog_versions")
    assert [v for (v,) in held_here] == [1]
