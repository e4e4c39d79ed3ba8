"""`odsc-server catalog poster`: an office's fee poster written to a new file, the same PDF as
/fees/poster.pdf draws; refused with a message and an exit code for what it cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.server import hierarchy, reference
from sync.server.cli import main as server_cli
from sync.server.db import open_db, writing
from sync.server.report.poster_command import PUBLIC_URL_ENV
from tests.conftest import FakeClock
from tests.receipts.conftest import poppler_text, qr_codes, reader
from tests.web.test_public_fees import catalog_data, write


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A centre with the catalog published and one office registered."""
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    url = f"sqlite:///{tmp_path / 'centre.db'}"
    engine = open_db(url)
    clock = FakeClock()
    with writing(engine) as conn:
        reference.publish(conn, write(tmp_path, catalog_data(1)), clock())
        hierarchy.add_office(conn, "VTE-SST", None, None, "Sisattanak ODSC", "ສີສັດຕະນາກ", clock())
    engine.dispose()
    return url


def test_the_command_writes_the_poster_with_its_qr(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "poster.pdf"
    argv = ["catalog", "poster", "--db", db, "--office", "vte-sst", "--size", "a3"]
    assert server_cli([*argv, "--out", str(out), "--url", "https://odsc.example.la/"]) == 0
    assert f"Wrote the a3 fee poster of VTE-SST to {out}" in capsys.readouterr().out
    assert qr_codes(out) == ["https://odsc.example.la/fees"]
    assert "150,000" in poppler_text(out)
    assert round(float(reader(out).pages[0].mediabox.height)) == 1191


def test_the_address_may_come_from_the_setting(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "http://centre.lan:8470")
    out = tmp_path / "poster.pdf"
    argv = ["catalog", "poster", "--db", db, "--office", "VTE-SST", "--out", str(out), "--json"]
    assert server_cli(argv) == 0
    assert '"url": "http://centre.lan:8470/fees"' in capsys.readouterr().out
    # A QR code in every page's foot.
    assert qr_codes(out) == ["http://centre.lan:8470/fees"] * len(reader(out).pages)


@pytest.mark.parametrize(
    ("more", "code", "said"),
    [
        (["--office", "VTE-SST"], 2, "must name the centre's public address"),
        (["--office", "VTE-SST", "--url", "ftp://x"], 2, "must name the centre's public address"),
        (["--office", "LPB-XYZ", "--url", "http://x"], 1, "no office 'LPB-XYZ' is registered"),
    ],
)
def test_what_it_cannot_do_it_says_and_writes_nothing(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    more: list[str],
    code: int,
    said: str,
) -> None:
    out = tmp_path / "poster.pdf"
    assert server_cli(["catalog", "poster", "--db", db, "--out", str(out), *more]) == code
    assert said in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_size_is_a_usage_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "poster.pdf"
    argv = ["catalog", "poster", "--db", db, "--office", "VTE-SST", "--url", "http://x"]
    with pytest.raises(SystemExit) as done:
        server_cli([*argv, "--size", "a5", "--out", str(out)])
    assert done.value.code == 2
    assert "invalid choice: 'a5'" in capsys.readouterr().err
    assert not out.exists()


def test_a_taken_file_name_is_refused(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"mine")
    argv = ["catalog", "poster", "--db", db, "--office", "VTE-SST", "--url", "http://x"]
    assert server_cli([*argv, "--out", str(taken)]) == 1
    assert taken.read_bytes() == b"mine"


def test_no_catalog_yet_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = open_db(url)
    with writing(engine) as conn:
        hierarchy.add_office(conn, "VTE-SST", None, None, "S", "ສ", FakeClock()())
    engine.dispose()
    out = tmp_path / "poster.pdf"
    argv = ["catalog", "poster", "--db", url, "--office", "VTE-SST", "--url", "http://x"]
    assert server_cli([*argv, "--out", str(out)]) == 1
    assert "no catalog is published yet" in capsys.readouterr().err
