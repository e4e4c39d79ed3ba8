"""The centre's deployment files (packaging/server/), checked as far as this machine allows.

The systemd unit is parsed, and verified by `systemd-analyze verify` where it exists; the nginx
example's limits are held to the protocol's, and nginx checks its syntax where it is installed;
the Dockerfile (no Docker engine here to build it) copies paths that exist and runs the
server's real command line; requirements.txt (the image's install) agrees with pyproject.toml,
and the server starts with nothing else importable. The README's backup advice is run for
real: pg_dump and pg_restore on PostgreSQL, the sqlite3 shell's .backup on SQLite.
"""

from __future__ import annotations

import configparser
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from contextlib import redirect_stdout
from pathlib import Path

from packaging.requirements import Requirement
from sqlalchemy import select

from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import protocol, transport
from sync.server import cli as server_cli
from sync.server.db import database_url, metadata, open_db
from tests.conftest import cannot_run_here
from tests.sync.conftest import centre_database

ROOT = Path(__file__).parents[1]
SERVER = ROOT / "packaging" / "server"
UNIT = SERVER / "odsc-server.service"
ENV = SERVER / "odsc-server.env.example"
NGINX = SERVER / "nginx.conf.example"
DOCKERFILE = SERVER / "Dockerfile"
REQUIREMENTS = SERVER / "requirements.txt"
README = ROOT / "README.md"
DATA_DIR = "/var/lib/odsc-server"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def env_example() -> dict[str, str]:
    lines = ENV.read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {key: value for key, value in pairs}


# -- systemd ----------------------------------------------------------------------------------


def test_unit_runs_the_server_on_loopback_as_its_own_user_hardened():
    u = unit()
    assert u.sections() == ["Unit", "Service", "Install"]
    service = u["Service"]
    assert service["User"] == service["Group"] == "odsc-server"
    assert service["EnvironmentFile"] == "/etc/odsc-server/odsc-server.env"
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ProtectHome"] == "yes"
    assert DATA_DIR in service["ReadWritePaths"].split()
    assert f"/var/lib/{service['StateDirectory']}" == DATA_DIR == service["WorkingDirectory"]
    assert u["Install"]["WantedBy"] == "multi-user.target"
    # The command is one the server's own parser accepts, on the default port, loopback only.
    program, *argv = shlex.split(service["ExecStart"])
    assert Path(program).name == "odsc-server" and Path(program).is_absolute()
    args = server_cli.build_parser().parse_args(argv)
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", server_cli.DEFAULT_PORT)


def test_unit_passes_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        cannot_run_here("systemd-analyze is not installed (the unit is still parsed above)")
    # verify checks that ExecStart's program exists: point it at this checkout's odsc-server.
    installed = Path(sys.executable).parent / "odsc-server"
    text = UNIT.read_text(encoding="utf-8")
    assert "/opt/odsc-server/venv/bin/odsc-server" in text
    copy = tmp_path / UNIT.name
    copy.write_text(text.replace("/opt/odsc-server/venv/bin/odsc-server", str(installed)))
    done = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # verify returns 0 even for an unknown key or a bad value: it only says so.
    assert [line for line in done.stderr.splitlines() if UNIT.name in line] == []


def test_environment_example_names_a_postgresql_database_and_the_data_folder():
    env = env_example()
    assert set(env) == {"ODSC_SERVER_DB", "ODSC_SERVER_DATA_DIR"}
    assert database_url(env["ODSC_SERVER_DB"]).drivername == "postgresql+psycopg"
    assert env["ODSC_SERVER_DATA_DIR"] == DATA_DIR


# -- nginx ------------------------------------------------------------------------------------


def directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith(";"):
            name, _, value = line[:-1].partition(" ")
            found.setdefault(name, []).append(value.strip())
    return found


def size_in_bytes(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_letter.lower()]


def seconds(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit_letter == "m" else 1)


def test_nginx_example_lets_the_largest_batch_through_and_waits_long_enough():
    d = directives(NGINX.read_text(encoding="utf-8"))
    assert size_in_bytes(d["client_max_body_size"][0]) >= protocol.MAX_BODY
    for name in ("client_body_timeout", "proxy_read_timeout", "proxy_send_timeout"):
        assert seconds(d[name][0]) >= transport.READ_TIMEOUT, name
    assert d["server"] == [f"127.0.0.1:{server_cli.DEFAULT_PORT}"]  # the unit's address
    assert "443 ssl" in d["listen"]
    assert d["ssl_certificate"] and d["ssl_certificate_key"]
    assert "return" in d and d["return"] == ["301 https://$host$request_uri"]
    headers = dict(value.split(" ", 1) for value in d["proxy_set_header"])
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Host"] == "$host"


def test_nginx_accepts_the_example(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        cannot_run_here("nginx is not installed (its limits are still checked above)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=sync.example.gov.la", "-keyout", str(key), "-out", str(cert)),
        ],
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    site = NGINX.read_text(encoding="utf-8")
    site = site.replace("/etc/letsencrypt/live/sync.example.gov.la/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/sync.example.gov.la/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {tmp_path / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


# -- Docker -----------------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    rows = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in rows
        if line and not line.startswith("#")
    ]


def test_dockerfile_says_it_is_untested_and_uses_the_slim_python():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "UNTESTED" in text and "no Docker engine" in text
    assert [args for kind, args in dockerfile() if kind == "FROM"] == [
        "python:3.11-slim AS wheel",
        "python:3.11-slim",
    ]


def test_dockerfile_copies_paths_that_exist_and_the_ignore_file_keeps_them():
    copied = []
    for kind, args in dockerfile():
        if kind == "COPY" and not args.startswith("--from"):
            copied += args.split()[:-1]
    assert copied, "the Dockerfile copies nothing from the project"
    for source in copied:
        assert (ROOT / source).exists(), source
    rules = [
        line
        for line in (SERVER / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert rules[0] == "*"  # everything out, then only what the image needs back in
    kept = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert set(copied) <= kept


def test_dockerfile_runs_the_server_as_a_user_on_every_address():
    steps = dockerfile()
    user = [args for kind, args in steps if kind == "USER"]
    assert user == ["odsc-server"]
    assert ("EXPOSE", str(server_cli.DEFAULT_PORT)) in steps
    entry = json.loads(dict(steps)["ENTRYPOINT"]) + json.loads(dict(steps)["CMD"])
    assert entry[0] == "odsc-server"
    args = server_cli.build_parser().parse_args(entry[1:])
    assert (args.command, args.host, args.port) == ("serve", "0.0.0.0", server_cli.DEFAULT_PORT)


def requirements() -> list[Requirement]:
    lines = REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def test_requirements_agree_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {Requirement(r).name.lower(): Requirement(r) for r in project["dependencies"]}
    for wanted in requirements():
        assert wanted.name.lower() in declared, wanted.name
        assert str(wanted) == str(declared[wanted.name.lower()]), wanted.name
    # The image has none of the counter's window or its printing to a printer; it draws PDFs
    # (the committee's report) as the counter's documents do.
    names = {r.name.lower() for r in requirements()}
    assert not names & {"pyside6-essentials", "pypdfium2"}
    assert {"reportlab", "laonlp"} <= names


# Run in a fresh interpreter where only the distributions requirements.txt installs can be
# imported (any other import fails, as it would in the image): the app is made over an SQLite
# file (every migration runs), uvicorn loads it as `serve` would, a code is made through the
# command line, and every module of sync/server is imported. Optional imports that fail (mako
# tries pygments, openpyxl tries Pillow for pictures) are listed, not fatal: the libraries cope,
# as they do in the image.
_SERVER_ALONE = """
import importlib, json, pkgutil, sys, tempfile
from importlib import metadata
from importlib.abc import MetaPathFinder
from pathlib import Path

allowed = set(json.loads(sys.argv[1]))
owners = metadata.packages_distributions()
refused = []

class OnlyTheImage(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        dists = {d.lower().replace("_", "-") for d in owners.get(name.split(".")[0], [])}
        if dists and not dists & allowed:
            refused.append(name)
            raise ModuleNotFoundError(f"not installed in the image: {name}", name=name)
        return None

sys.meta_path.insert(0, OnlyTheImage())
import uvicorn
import sync.server
from sync.server import cli
from sync.server.app import create_app
db = f"sqlite:///{Path(tempfile.mkdtemp()) / 'server.sqlite3'}"
uvicorn.Config(create_app(db), log_level="warning").load()
assert cli.main(["enroll", "--db", db, "--office", "VTE-SST", "--counter", "1"]) == 0
for module in pkgutil.walk_packages(sync.server.__path__, "sync.server."):
    if not module.name.startswith("sync.server.migrations"):
        importlib.import_module(module.name)
print(json.dumps(sorted({name.split(".")[0] for name in refused})))
"""


def _with_dependencies(wanted: list[Requirement]) -> set[str]:
    """The distributions pip installs for `wanted`: each with its own requirements, extras
    followed, environment markers evaluated."""
    from importlib import metadata as installed

    found: set[str] = set()
    queue = [(r, frozenset(r.extras)) for r in wanted]
    while queue:
        requirement, extras = queue.pop()
        key = requirement.name.lower().replace("_", "-")
        if key in found:
            continue
        found.add(key)
        for text in installed.requires(requirement.name) or []:
            child = Requirement(text)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(e) for e in environments):
                queue.append((child, frozenset(child.extras)))
    return found


def test_the_server_runs_with_only_what_requirements_txt_installs():
    allowed = _with_dependencies(requirements()) | {"odsc-desk"}
    # cryptography is the centre's too: it checks a counter's Ed25519 enrollment proof; and
    # requests, which posts messages to the SMS gateway. Nothing of the window.
    assert "pyside6-essentials" not in allowed
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_ALONE, json.dumps(sorted(allowed))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    refused = json.loads(done.stdout.splitlines()[-1])
    # Only optional extras were asked for, and nothing of the counter's window or printing.
    assert set(refused) <= {"pygments", "PIL"}, refused


# -- backups of the centre's database (the README's advice, run) -------------------------------


def test_readme_gives_the_backup_and_deployment_steps():
    text = README.read_text(encoding="utf-8")
    for words in ("pg_dump", "pg_restore", "packaging/server/", "odsc-server.service"):
        assert words in text, words


def odsc_server(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        code = server_cli.main(list(argv))
    assert code == 0, out.getvalue()
    return out.getvalue()


def fill(url: str) -> None:
    """A centre with something in most tables: codes, a catalog, a viewer, the server's key."""
    for counter in ("1", "2"):
        odsc_server("enroll", "--db", url, "--office", "VTE-SST", "--counter", counter)
    for name, role in (("editor", "catalog_editor"), ("approver", "catalog_approver")):
        odsc_server(
            "user", "add", name, "--role", role, "--scope", "nation", "--token", "--db", url
        )
    odsc_server(
        "catalog", "publish", "--db", url, str(demo_catalog_path()),
        "--drafted-by", "editor", "--approved-by", "approver",
    )  # fmt: skip
    odsc_server("viewer", "add", "--db", url, "ກະຊວງ ພາຍໃນ")


def content(url: str) -> dict[str, list[tuple]]:
    engine = open_db(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_pg_dump_and_pg_restore_bring_the_centre_back(tmp_path):
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if pg_dump is None or pg_restore is None:
        cannot_run_here("pg_dump and pg_restore (postgresql-client) are not installed")
    with (
        centre_database("postgresql", tmp_path) as live,
        centre_database("postgresql", tmp_path) as restored,
    ):
        fill(live)
        before = content(live)
        assert sum(map(len, before.values())) >= 5
        dump = tmp_path / "odsc.dump"
        plain = [url.replace("postgresql+psycopg://", "postgresql://") for url in (live, restored)]
        subprocess.run([pg_dump, "--format=custom", f"--file={dump}", plain[0]], check=True)
        subprocess.run([pg_restore, "--no-owner", f"--dbname={plain[1]}", str(dump)], check=True)
        assert content(restored) == before
        # A working database, not only a copy: its schema version is recorded (no migration
        # tried) and its id sequences carry on after the restored rows.
        odsc_server("enroll", "--db", restored, "--office", "VTE-SST", "--counter", "3")
        assert len(content(restored)["enroll_codes"]) == len(before["enroll_codes"]) + 1


def test_the_sqlite_shell_backs_up_a_centre_on_sqlite(tmp_path):
    sqlite3_shell = shutil.which("sqlite3")
    if sqlite3_shell is None:
        cannot_run_here("the sqlite3 shell is not installed")
    live, copy = tmp_path / "server.sqlite3", tmp_path / "backup.sqlite3"
    fill(f"sqlite:///{live}")
    subprocess.run([sqlite3_shell, str(live), f".backup '{copy}'"], check=True, timeout=60)
    before = content(f"sqlite:///{live}")
    assert sum(map(len, before.values())) >= 5
    assert content(f"sqlite:///{copy}") == before
