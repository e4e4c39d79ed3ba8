"""People and machines at the centre (`odsc-server user add/list/revoke`): a person's password
kept as an Argon2id hash, a machine's token shown once and kept as its sha256, each account with
a role and scopes the centre knows; bad input refused with nothing written; and the viewer
tokens of a centre upgraded from 0005 working on as nation-wide viewers."""

from __future__ import annotations

import hashlib
import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import inspect, select, text

from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import protocol
from sync.server import cli
from sync.server.db import account_scopes, accounts, make_engine, open_db, writing
from sync.server.web import sessions
from tests.conftest import FakeClock
from tests.sync.conftest import assert_problem, count_rows, get, running_server
from tests.sync.test_hierarchy import _cli, at_revision

PASSWORD = "ນ້ຳຕົກຕາດ falls 2026"


def _accounts(engine):
    with engine.connect() as conn:
        return {r.name: r for r in conn.execute(select(accounts))}


def test_a_person_keeps_an_argon2id_hash_and_a_machine_a_token_hash(
    server_db_url, capsys, monkeypatch
):
    db = ("--db", server_db_url)
    for name, role in (("editor", "catalog_editor"), ("approver", "catalog_approver")):
        made = _cli(
            capsys, "user", "add", name, "--role", role, "--scope", "nation", "--token", *db
        )
        assert made[0] == 0
    publish = ("catalog", "publish", str(demo_catalog_path()))
    four_eyes = ("--drafted-by", "editor", "--approved-by", "approver")
    assert _cli(capsys, *publish, *four_eyes, *db)[0] == 0
    monkeypatch.setenv("ODSC_SERVER_PASSWORD", PASSWORD)
    code, out, err = _cli(
        capsys, "user", "add", "Somphone K", "--role", "catalog_editor",
        "--scope", "ministry:MOIC", "--scope", "ministry:moha", *db,
    )  # fmt: skip
    assert code == 0, err
    assert out == "Account Somphone K made (catalog_editor, ministry:MOHA ministry:MOIC).\n"
    monkeypatch.delenv("ODSC_SERVER_PASSWORD")
    code, out, err = _cli(
        capsys, "user", "add", "Province dashboard", "--role", "viewer",
        "--scope", "province:LA-VT", "--scope", "province:LPB", "--token", "--personal-data", *db,
    )  # fmt: skip
    assert code == 0, err
    token = out.split()[-1]
    assert "shown once" in out and "province:LA-LP province:LA-VT" in out

    engine = open_db(server_db_url)
    made = _accounts(engine)
    person, machine = made["Somphone K"], made["Province dashboard"]
    assert person.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(person.password_hash, PASSWORD)
    assert (person.kind, person.token_sha256, person.personal_data) == ("person", None, 0)
    assert machine.password_hash is None and machine.personal_data == 1
    assert bytes(machine.token_sha256) == hashlib.sha256(token.encode()).digest()

    code, out, _ = _cli(capsys, "user", "list", "--json", *db)
    listed = {a["name"]: a for a in json.loads(out)}
    assert listed["Somphone K"]["scopes"] == ["ministry:MOHA", "ministry:MOIC"]
    assert listed["Province dashboard"]["personal_data"] is True
    assert listed["Province dashboard"]["kind"] == "token"
    assert "argon2" not in out and token not in out  # neither secret is ever shown again
    code, out, _ = _cli(capsys, "user", "list", *db)
    assert "Somphone K  person catalog_editor  ministry:MOHA ministry:MOIC  made" in out
    engine.dispose()


def test_an_admin_sets_a_forgotten_password_and_the_persons_sessions_end(
    server_db_url, capsys, monkeypatch
):
    """`user password NAME`: the new password by the rules of a first one, every session of
    the person ended; refused with nothing changed for a weak password, an unknown name, a
    machine's token and a revoked account."""
    db = ("--db", server_db_url)
    monkeypatch.setenv("ODSC_SERVER_PASSWORD", PASSWORD)
    for argv in (
        ("Somphone K", "--role", "viewer", "--scope", "nation"),
        ("Noy V", "--role", "viewer", "--scope", "nation"),
        ("Robot", "--role", "viewer", "--scope", "nation", "--token"),
    ):
        assert _cli(capsys, "user", "add", *argv, *db)[0] == 0
    assert _cli(capsys, "user", "revoke", "Noy V", *db)[0] == 0
    engine = open_db(server_db_url)
    person = _accounts(engine)["Somphone K"]
    with writing(engine) as conn:
        for _ in range(2):
            sessions.start(conn, person.id, FakeClock()())
    new = "ຝົນຕົກ rain 2027"

    monkeypatch.setenv("ODSC_SERVER_PASSWORD", "short")
    for wanted, said in (
        ("Somphone K", "at least 10 characters"),
        ("Nobody", "no account 'Nobody'"),
        ("Robot", "a machine's token"),
        ("Noy V", "is revoked"),
    ):
        code, out, err = _cli(capsys, "user", "password", wanted, *db)
        assert (code, out) == (1, ""), (wanted, err)
        assert said in err
    assert _accounts(engine)["Somphone K"].password_hash == person.password_hash
    assert count_rows(engine)["web_sessions"] == 2

    monkeypatch.setenv("ODSC_SERVER_PASSWORD", new)
    code, out, err = _cli(capsys, "user", "password", str(person.id), *db)
    assert (code, out) == (
        0,
        "Password of Somphone K changed; 2 session(s) ended: they log in again with the new one.\n",
    ), err
    changed = _accounts(engine)["Somphone K"].password_hash
    assert PasswordHasher().verify(changed, new)
    assert count_rows(engine)["web_sessions"] == 0
    engine.dispose()


def test_a_revoked_token_answers_401_and_stays_listed(live_server, capsys):
    db = ("--db", live_server.db_url)
    code, out, _ = _cli(
        capsys, "user", "add", "Audit robot", "--role", "viewer", "--scope", "nation", "--token",
        *db,
    )  # fmt: skip
    token = out.split()[-1]
    reports = f"{live_server.url}{protocol.REPORTS}/offices"
    assert get(reports, token).status_code == 200
    code, out, _ = _cli(capsys, "user", "revoke", "Audit robot", *db)
    assert (code, out) == (
        0,
        "Account Audit robot revoked: its token or password no longer works.\n",
    )
    assert_problem(get(reports, token), 401, "auth.revoked")
    code, out, _ = _cli(capsys, "user", "list", "--json", *db)
    [listed] = json.loads(out)
    assert listed["revoked_at"] is not None
    code, out, _ = _cli(capsys, "user", "revoke", str(listed["id"]), "--json", *db)
    assert code == 0 and json.loads(out) == {
        "id": listed["id"],
        "name": "Audit robot",
        "revoked_at": listed["revoked_at"],
        "already": True,
    }


@pytest.fixture(scope="module")
def centre(shared_db_url):
    """A centre with a catalog, an office and a district, and an account named Somphone K."""
    engine = open_db(shared_db_url)
    db = ("--db", shared_db_url)
    for argv in (
        ("user", "add", "editor", "--role", "catalog_editor", "--scope", "nation", "--token"),
        ("user", "add", "approver", "--role", "catalog_approver", "--scope", "nation", "--token"),
        ("catalog", "publish", str(demo_catalog_path()), "--drafted-by", "editor",
         "--approved-by", "approver"),
        ("district", "add", "VT-01", "--province", "LA-VT", "--name-en", "Chanthabouly",
         "--name-lo", "ເມືອງຈັນທະບູລີ"),
        ("office", "add", "VTE-SST", "--name-en", "Sisattanak", "--name-lo", "ສີສັດຕະນາກ"),
        ("user", "add", "Somphone K", "--role", "viewer", "--scope", "nation", "--token"),
    ):  # fmt: skip
        assert cli.main([*argv, *db]) == 0
    yield shared_db_url
    engine.dispose()


_PERSON = ["user", "add", "Bounmy Keo", "--role", "viewer", "--scope", "nation"]
_TOKEN = ["user", "add", "Robot", "--role", "viewer", "--token"]
_NATION_TOKEN = ["--role", "viewer", "--scope", "nation", "--token"]


@pytest.mark.parametrize(
    ("argv", "password", "exit_code", "words"),
    [
        (_PERSON, "short pw", 1, "at least 10 characters"),
        (_PERSON, "BOUNMYKEO ", 1, "cannot be the account's name"),
        (_PERSON, "oek ymnuob", 1, "cannot be the account's name"),
        (_PERSON, "aaaaaaaaaaaa", 1, "one character repeated"),
        (_PERSON, "Password123", 1, "most common ones"),
        (_PERSON, "            ", 1, "only spaces"),
        (_PERSON, "abcdefghi\x07j", 1, "control"),
        (_PERSON, None, 1, "ODSC_SERVER_PASSWORD"),
        (["user", "add", "Somphone K", *_NATION_TOKEN], None, 1, "exists already"),
        (["user", "add", "12345", *_NATION_TOKEN], None, 1, "only digits"),
        (["user", "add", " ", *_NATION_TOKEN], None, 1, "printable"),
        ([*_TOKEN, "--scope", "province:LA-ZZ"], None, 1, "no province"),
        ([*_TOKEN, "--scope", "district:VT-99"], None, 1, "no district VT-99"),
        ([*_TOKEN, "--scope", "office:VTE-NONE"], None, 1, "no office VTE-NONE"),
        ([*_TOKEN, "--scope", "ministry:MOXX"], None, 1, "no published catalog"),
        ([*_TOKEN, "--scope", "nation", "--scope", "office:VTE-SST"], None, 1, "alone"),
        ([*_TOKEN, "--scope", "planet:earth"], None, 1, "not a scope"),
        ([*_TOKEN, "--scope", "province:"], None, 1, "not a scope"),
        ([*_TOKEN, "--scope", "office:vte sst"], None, 1, "not an office code"),
        (_TOKEN, None, 2, "--scope"),
        (["user", "add", "Robot", "--role", "king", "--scope", "nation"], None, 2, "invalid"),
        (["user", "revoke", "Nobody"], None, 1, "no account 'Nobody'"),
        (["user", "revoke", "999"], None, 1, "no account"),
    ],
)
def test_bad_account_input_is_refused_and_changes_nothing(
    centre, capsys, monkeypatch, argv, password, exit_code, words
):
    if password is None:
        monkeypatch.delenv("ODSC_SERVER_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("ODSC_SERVER_PASSWORD", password)
    engine = open_db(centre)
    before = count_rows(engine)
    code, out, err = _cli(capsys, *argv, "--db", centre)
    assert (code, out) == (exit_code, "")
    assert len(err.strip().splitlines()) == 1, err
    assert words.lower() in err.lower()
    assert count_rows(engine) == before
    engine.dispose()


def test_the_scopes_are_checked_before_a_password_is_asked(centre, capsys, monkeypatch):
    """A person's account with a bad scope is refused at once, not after typing a password
    twice; with no password given and no terminal, the scope is what is named."""
    monkeypatch.delenv("ODSC_SERVER_PASSWORD", raising=False)
    code, _, err = _cli(
        capsys, "user", "add", "Vone", "--role", "viewer", "--scope", "office:VTE-NONE",
        "--db", centre,
    )  # fmt: skip
    assert code == 1 and "no office VTE-NONE" in err and "PASSWORD" not in err


# -- a centre upgraded from 0005 ----------------------------------------------------------------

_VIEWERS = [
    # id, name, token, revoked_at
    (1, "Province office", "token-one", None),
    (2, "Ministry audit", "token-two", None),
    (3, "Ministry audit", "token-three", "2026-06-01T02:00:00.000000Z"),
    (5, "  Spaced   name ", "token-five", None),
]


def test_viewer_tokens_of_an_upgraded_centre_work_as_nation_viewers(server_db_url, capsys):
    at_revision(server_db_url, "0005")
    engine = make_engine(server_db_url)
    with writing(engine) as conn:
        for viewer_id, name, token, revoked in _VIEWERS:
            conn.execute(
                text(
                    "INSERT INTO viewers (id, name, token_sha256, created_at, revoked_at)"
                    " VALUES (:id, :name, :hash, :made, :revoked)"
                ),
                {
                    "id": viewer_id,
                    "name": name,
                    "hash": hashlib.sha256(token.encode()).digest(),
                    "made": f"2026-0{viewer_id}-01T02:00:00.000000Z",
                    "revoked": revoked,
                },
            )
    engine.dispose()

    with running_server(server_db_url) as server:
        assert "viewers" not in inspect(server.engine).get_table_names()
        with server.engine.connect() as conn:
            made = [tuple(r) for r in conn.execute(
                select(accounts.c.id, accounts.c.name, accounts.c.kind, accounts.c.role,
                       accounts.c.created_at, accounts.c.revoked_at).order_by(accounts.c.id)
            )]  # fmt: skip
            scopes = [tuple(r) for r in conn.execute(select(account_scopes))]
        assert made == [
            (1, "Province office", "token", "viewer", "2026-01-01T02:00:00.000000Z", None),
            (2, "Ministry audit", "token", "viewer", "2026-02-01T02:00:00.000000Z", None),
            (3, "Ministry audit (3)", "token", "viewer", "2026-03-01T02:00:00.000000Z",
             "2026-06-01T02:00:00.000000Z"),
            (5, "Spaced name", "token", "viewer", "2026-05-01T02:00:00.000000Z", None),
        ]  # fmt: skip
        assert sorted(scopes) == [(n, "nation", "") for n in (1, 2, 3, 5)]

        reports = f"{server.url}{protocol.REPORTS}/offices"
        for _, _, token, revoked in _VIEWERS:
            reply = get(reports, token)
            if revoked:
                assert_problem(reply, 401, "auth.revoked")
            else:
                assert reply.status_code == 200, reply.text
        # `viewer revoke 2` names the same token as before the upgrade; a new one follows.
        code, _, _ = _cli(capsys, "viewer", "revoke", "2", "--db", server_db_url)
        assert code == 0
        assert_problem(get(reports, "token-two"), 401, "auth.revoked")
        code, out, err = _cli(capsys, "viewer", "add", "New office", "--db", server_db_url)
        assert code == 0, err
        assert get(reports, out.split()[-1]).status_code == 200
        code, out, _ = _cli(capsys, "viewer", "list", "--json", "--db", server_db_url)
        assert [(v["id"], v["name"]) for v in json.loads(out)][-1] == (6, "New office")
