"""Viewer tokens are listed and revoked (`odsc-server viewer list/revoke`): a revoked token
answers 401 `auth.revoked` on every report from then on, and the others keep working."""

import json

import pytest

from sync import protocol
from sync.server import cli
from sync.server.db import open_db
from tests.sync.conftest import assert_problem, count_rows, get


def _cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _add(capsys, db, name):
    code, out, _ = _cli(capsys, "viewer", "add", name, "--db", db)
    assert code == 0
    return out.split()[-1]


def _reads(server, token):
    return get(f"{server.url}{protocol.REPORTS}/offices", token)


def test_viewers_are_listed_and_revoked_by_name_or_id(live_server, capsys):
    db = live_server.db_url
    assert _cli(capsys, "viewer", "list", "--db", db)[1] == "No viewer token has been made.\n"
    province = _add(capsys, db, "Vientiane province office")
    ministry = _add(capsys, db, "Ministry audit")
    audit_two = _add(capsys, db, "Ministry audit two")

    code, out, _ = _cli(capsys, "viewer", "list", "--json", "--db", db)
    assert code == 0
    listed = json.loads(out)
    assert [(v["name"], v["revoked_at"], v["scopes"]) for v in listed] == [
        ("Vientiane province office", None, ["nation"]),
        ("Ministry audit", None, ["nation"]),
        ("Ministry audit two", None, ["nation"]),
    ]
    assert all(v["created_at"].endswith("Z") for v in listed)
    assert "token" in {v["kind"] for v in listed} and province not in out  # the hash only

    code, out, _ = _cli(capsys, "viewer", "revoke", "Vientiane province office", "--db", db)
    assert (code, out) == (0, "Viewer Vientiane province office revoked: its report token no "
                              "longer works.\n")  # fmt: skip
    assert_problem(_reads(live_server, province), 401, "auth.revoked")
    assert _reads(live_server, ministry).status_code == 200

    code, out, _ = _cli(capsys, "viewer", "revoke", str(listed[2]["id"]), "--json", "--db", db)
    assert code == 0
    revoked = json.loads(out)
    assert (revoked["id"], revoked["name"], revoked["already"]) == (
        listed[2]["id"],
        "Ministry audit two",
        False,
    )
    assert_problem(_reads(live_server, audit_two), 401, "auth.revoked")
    assert _reads(live_server, ministry).status_code == 200

    code, out, _ = _cli(capsys, "viewer", "list", "--db", db)
    lines = out.splitlines()
    assert "revoked" in lines[0] and "active" in lines[1] and "revoked" in lines[2]
    # Revoking again keeps it revoked, from the moment it was first revoked.
    revoked_at = json.loads(_cli(capsys, "viewer", "list", "--json", "--db", db)[1])[0]
    code, out, _ = _cli(
        capsys, "viewer", "revoke", "Vientiane province office", "--json", "--db", db
    )
    assert code == 0 and json.loads(out)["already"] is True
    again = json.loads(_cli(capsys, "viewer", "list", "--json", "--db", db)[1])[0]
    assert again["revoked_at"] == revoked_at["revoked_at"] == json.loads(out)["revoked_at"]


def test_a_viewer_name_is_taken_once(server_db_url, capsys):
    """Account names are unique (a name in the access log means one account): a second viewer
    of the same name is refused, and nothing is made."""
    engine = open_db(server_db_url)
    _add(capsys, server_db_url, "District audit")
    before = count_rows(engine)
    code, out, err = _cli(capsys, "viewer", "add", "District  audit ", "--db", server_db_url)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "exists already" in err
    assert count_rows(engine) == before
    engine.dispose()


def test_only_viewer_tokens_are_revoked_as_viewers(server_db_url, capsys):
    """`viewer revoke` names viewers' tokens only: an admin's account is out of its reach."""
    engine = open_db(server_db_url)
    code, _, err = _cli(
        capsys, "user", "add", "Centre admin", "--role", "admin", "--scope", "nation",
        "--token", "--db", server_db_url,
    )  # fmt: skip
    assert code == 0, err
    before = count_rows(engine)
    code, out, err = _cli(capsys, "viewer", "revoke", "Centre admin", "--db", server_db_url)
    assert (code, out) == (1, "") and "no viewer" in err
    assert count_rows(engine) == before
    engine.dispose()


@pytest.mark.parametrize("who", ["Nobody here", "999", "   "])
def test_revoking_an_unknown_viewer_is_refused_with_one_line(shared_db_url, capsys, who):
    engine = open_db(shared_db_url)
    before = count_rows(engine)
    code, out, err = _cli(capsys, "viewer", "revoke", who, "--db", shared_db_url)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "no viewer" in err and "viewer list" in err
    assert count_rows(engine) == before
    engine.dispose()
