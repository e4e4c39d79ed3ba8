"""The committee's monthly PDF (/report.pdf): every number read back from the PDF equals the
API's for the same level and month — the headline and the previous month's, the places below,
the fees by ministry, the cash — its Lao copies back as Lao; a person sees only their scope;
a period that is not one month, a counter, an unknown area are refused with a page, no PDF."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sync.server.cli import main as server_cli
from sync.server.figures.periods import parse_period
from sync.server.report import monthly
from sync.server.report.words import WORDS, both, en
from sync.server.web.levels import Level, Registry
from tests.receipts.conftest import tool
from tests.sync.test_figures_scene import NOW
from tests.web.conftest import SHOTS, Centre
from tests.web.figures_on_page import api_numbers

MONTH = "2026-11"
# (?area= of the report, the API's query, the key of the rows below)
LEVELS = [
    ("nation", {}, "province"),
    ("province/LA-VT", {"province": "LA-VT"}, "district"),
    ("district/VT-01", {"district": "VT-01"}, "office"),
    ("office/VTE-SST", {"office": "VTE-SST"}, "counter"),
]
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?|—")


@pytest.fixture
def viewer(centre: Centre) -> Any:
    return centre.login(centre.person("nation"))


def _pdf(centre: Centre, web: Any, **query: str) -> bytes:
    reply = web.get(f"{centre.url}/report.pdf", params=query, timeout=60)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"].startswith('attachment; filename="committee-report')
    assert reply.content.startswith(b"%PDF")
    return reply.content


def _text(pdf: bytes, folder: Path) -> str:
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return run.stdout


def _after(text: str, label: str) -> list[str]:
    """The numbers on the line of `label`, after it."""
    lines = [line for line in text.splitlines() if label in line]
    assert len(lines) == 1, (label, lines)
    return _NUMBER.findall(lines[0].split(label, 1)[1])


def _grouped(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _signed(value: int | None) -> str:
    return "—" if value is None else ("+" if value > 0 else "") + f"{value:,}"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


@pytest.mark.parametrize(("area", "query", "below"), LEVELS)
def test_the_report_equals_the_api(centre, viewer, tmp_path, area, query, below) -> None:
    text = _text(_pdf(centre, viewer, area=area, period=MONTH), tmp_path)
    want = api_numbers(centre, query, MONTH, NOW)
    now, before = want["current"], want["previous"]
    assert _after(text, both("received")) == [_grouped(now["received"]),
                                                 _grouped(before["received"])]  # fmt: skip
    assert _after(text, both("on_time_rate")) == [_percent(now["on_time_rate"]),
                                            _percent(before["on_time_rate"])]  # fmt: skip
    assert _after(text, both("overdue")) == [_grouped(now["overdue"]), _grouped(before["overdue"])]
    assert _after(text, both("net_fees")) == [_grouped(now["net"]), _grouped(before["net"])]
    assert _after(text, both("mean_rating")) == [_mean(now["mean_rating"]),
                                                        _mean(before["mean_rating"])]  # fmt: skip
    assert _after(text, both("response_rate")) == [_percent(now["response_rate"]),
                                             _percent(before["response_rate"])]  # fmt: skip
    assert _after(text, both("silent", days=3)) == [_grouped(want["silent"]),
                                                           _grouped(want["counters"])]  # fmt: skip
    _check_places(centre, text, query, below)
    _check_ministries(centre, text, query)
    _check_cash(centre, text, query)


def _rows(centre: Centre, name: str, query: dict[str, str], by: str) -> dict[Any, dict[str, Any]]:
    rows = centre.api(f"/api/v1/figures/{name}", period=MONTH, by=by, **query)["rows"]
    return {(r["office"], r["counter"]) if by == "counter" else r[by]: r for r in rows}


def _check_places(centre: Centre, text: str, query: dict[str, str], by: str) -> None:
    volume = _rows(centre, "volume", query, by)
    money = _rows(centre, "revenue", query, by)
    late = _rows(centre, "overdue", query, by)
    times = {} if by == "counter" else _rows(centre, "timeliness", query, by)
    assert volume
    for key, row in volume.items():
        if key is None or not row["received"]:
            continue
        label = f"ປ່ອງບໍລິການ {key[1]} " if by == "counter" else f"{key} · "
        rate = times.get(key, {}).get("on_time_rate")
        assert _after(text, label) == [
            _grouped(row["received"]),
            _percent(rate),
            _grouped(money.get(key, {}).get("net", 0)),
            _grouped(late.get(key, {}).get("overdue", 0)),
        ], label


def _check_ministries(centre: Centre, text: str, query: dict[str, str]) -> None:
    fees = centre.api("/api/v1/figures/fees", period=MONTH, by="ministry", **query)
    net = {r["ministry"]: r["net"] for r in _rows(centre, "revenue", query, "ministry").values()}
    assert fees["rows"]
    for row in [*fees["rows"], {**fees["totals"], "ministry": "Total"}]:
        label = "ລວມ / Total" if row["ministry"] == "Total" else f"{row['ministry']} · "
        money = sum(net.values()) if row["ministry"] == "Total" else net.get(row["ministry"], 0)
        assert _after(text, label) == [
            _grouped(money),
            _grouped(row["checked"]),
            _grouped(row["fee_off_catalog"]),
            _grouped(row["fee_old_version"]),
            _percent(row["uniform_rate"]),
        ], label


def _check_cash(centre: Centre, text: str, query: dict[str, str]) -> None:
    cash = centre.api("/api/v1/figures/cash", period=MONTH, **query)["totals"]
    before = cash["previous"]
    for label, name, shown in [
        ("closed", "closed", _grouped),
        ("differences", "differences", _grouped),
        ("difference_sum", "difference_sum", _signed),
        ("largest", "largest_difference", _signed),
        ("approved", "approved", _grouped),
    ]:
        assert _after(text, both(label)) == [shown(cash[name]), shown(before[name])], label


def test_the_lao_copies_back_as_lao(centre, viewer, tmp_path) -> None:
    pdf = _pdf(centre, viewer, area="province/LA-VT", period=MONTH)
    text = _text(pdf, tmp_path)
    for lao in ("ບົດລາຍງານປະຈຳເດືອນ ສຳລັບຄະນະກຳມະການຊີ້ນຳ", "ຄຳຮ້ອງທີ່ໄດ້ຮັບ", "ພະຈິກ 2026",
                "ສີສັດຕະນາກ", "ຄ່າທຳນຽມຕາມກະຊວງ"):  # fmt: skip
        assert lao in text, lao
    SHOTS.mkdir(parents=True, exist_ok=True)  # whichever test of the worker comes first
    (SHOTS / "report-province.pdf").write_bytes(pdf)


def test_the_trend_is_the_last_twelve_months_of_the_api(centre, viewer, tmp_path) -> None:
    """The chart's bars are GovStack's statistics per month (as the overview's trend), for the
    twelve months ending with the report's: each bar's count printed over it."""
    pieces = centre.api(
        "/api/v1/statistics", startDate="2025-12-01", endDate="2026-11-30", timeframe="month"
    )
    months = [p["references"]["startDate"][:7] for p in pieces]
    assert months == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    with centre.engine.connect() as conn:
        report = monthly.gather(
            conn, Level("nation"), Registry.read(conn), parse_period(MONTH),
            now=NOW, today=date(2026, 12, 7), silent_days=3, made_by="test",
        )  # fmt: skip
    assert [count for _, count in report.seen.trend] == [p["processed"] for p in pieces]
    text = _text(_pdf(centre, viewer, area="nation", period=MONTH), tmp_path)
    chart = text.split(en("trend"), 1)[1].split("12/2025", 1)[0]
    axis = text.split("12/2025", 1)[1].split("\n", 1)[0].split()
    assert axis == [f"{m[5:]}/{m[:4]}" for m in months[1:]]
    bars = sorted(int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", chart))
    assert bars == sorted(p["processed"] for p in pieces)


def test_a_person_sees_only_their_province(centre, tmp_path) -> None:
    web = centre.login(centre.person("province:LA-VT"))
    text = _text(_pdf(centre, web, period=MONTH), tmp_path)  # no area: the person's own
    assert "ນະຄອນຫຼວງວຽງຈັນ (LA-VT)" in text or "(LA-VT)" in text
    assert "LA-LP" not in text and "LPB-CHO" not in text
    for area in ("nation", "province/LA-LP", "office/LPB-CHO"):
        reply = web.get(f"{centre.url}/report.pdf", params={"area": area, "period": MONTH})
        assert reply.status_code == 403, area
        assert not reply.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("period", "area"),
    [("2026", "nation"), ("2026-Q4", "nation"), ("2026-13", "nation"), ("2026-11-01", "nation"),
     ("2026-10-01..2026-10-31", "nation"), ("next month", "nation"), ("1999-12", "nation"),
     (MONTH, "counter/VTE-SST/1")],
)  # fmt: skip
def test_a_period_not_one_month_or_a_counter_is_refused(centre, viewer, period, area) -> None:
    reply = viewer.get(f"{centre.url}/report.pdf", params={"area": area, "period": period})
    assert reply.status_code == 400
    assert reply.headers["content-type"].startswith("text/html")
    assert "ບົດລາຍງານປະຈຳເດືອນ" in reply.text and "The monthly report is" in reply.text


def test_unknown_areas_and_strangers_are_refused(centre, viewer) -> None:
    reply = viewer.get(f"{centre.url}/report.pdf", params={"area": "office/NOPE-XX"})
    assert reply.status_code == 404
    stranger = centre.login(centre.person("nation"))
    stranger.cookies.clear()
    reply = stranger.get(f"{centre.url}/report.pdf", allow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/login"


def test_the_overview_links_to_the_month_shown(centre, viewer, tmp_path) -> None:
    page = viewer.get(f"{centre.url}/area/district/VT-01", params={"period": MONTH})
    found = re.search(r'id="report-pdf" href="([^"]+)"', page.text)
    assert found is not None
    href = found[1].replace("&amp;", "&")
    assert href == "/report.pdf?area=district/VT-01&period=2026-11&silent=3"
    reply = viewer.get(centre.url + href)
    assert reply.status_code == 200 and reply.content.startswith(b"%PDF")
    # A year shown: the link is to the last whole month (November, on 7 December).
    page = viewer.get(f"{centre.url}/area/counter/VTE-SST/2", params={"period": "2026"})
    found = re.search(r'id="report-pdf" href="([^"]+)"', page.text)
    assert found is not None and "area=office/VTE-SST&amp;period=2026-11" in found[1]


def test_the_link_in_chromium(centre, chromium) -> None:
    name = centre.person("nation")
    for lang in ("lo", "en"):
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(f"{centre.url}/login?lang={lang}")
        page.fill("#name", name)
        page.fill("#password", "a long pass phrase 9")
        page.click("button[type=submit]")
        page.goto(f"{centre.url}/area/province/LA-VT?period={MONTH}")
        link = page.locator("#report-pdf")
        link.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"report-link-{lang}.png"), full_page=False)
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "committee-report-2026-11-province-LA-VT.pdf"
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        context.close()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(WORDS))
def test_each_word_has_lao_and_english(key: str) -> None:
    lao, english = WORDS[key]
    assert re.search("[\u0e80-\u0eff]", lao), key
    assert english.isascii() and re.search("[A-Za-z]", english), key
    assert _placeholders(lao) == _placeholders(english)


def test_the_report_reaches_no_counter_storage() -> None:
    """Drawing the report imports receipts' engine, and through it only the shared helpers."""
    script = (
        "import sys\nimport sync.server.report.page, sync.server.report.pdf\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])  # fmt: skip
    loaded = run.stdout.split()
    assert "receipts.layout" in loaded
    counter = [
        m for m in loaded if m.startswith("odsc_desk.") and not m.startswith("odsc_desk.shared")
    ]
    assert counter == []
    assert "receipts.summary" not in loaded


def test_a_server_start_loads_no_reportlab(tmp_path) -> None:
    """The route is mounted, and ReportLab loads with the first report only."""
    script = (
        "import sys\nfrom sync.server.app import create_app\n"
        f"create_app('sqlite:///{tmp_path}/centre.sqlite3')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])  # fmt: skip
    assert "sync.server.report.page" in run.stdout.split()
    assert not any(m.startswith("reportlab") for m in run.stdout.split())


def test_the_command_writes_the_same_report(centre, tmp_path, capsys) -> None:
    out = tmp_path / "report.pdf"
    args = ["report", "monthly", "--db", centre.server.db_url, "--area", "province/LA-VT"]
    assert server_cli([*args, "--month", MONTH, "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == str(out)
    text = _text(out.read_bytes(), tmp_path)
    volume = centre.api("/api/v1/figures/volume", period=MONTH, province="LA-VT")["totals"]
    shown = [_grouped(volume["received"]), _grouped(volume["previous"]["received"])]
    assert _after(text, both("received")) == shown
    assert "LA-LP" not in text


@pytest.mark.parametrize(
    ("area", "month", "code", "says"),
    [
        ("nation", "2026", 2, "--month is one month"),
        ("nation", "2026-13", 2, "there is no month 13"),
        ("nation", "soon", 2, "not a period"),
        ("province/LA-XX", MONTH, 1, "is not known at this centre"),
        ("counter/VTE-SST/1", MONTH, 1, "not a counter"),
        ("somewhere", MONTH, 1, "is not known at this centre"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(
    centre, tmp_path, capsys, area, month, code, says
) -> None:
    out = tmp_path / "report.pdf"
    args = ["report", "monthly", "--db", centre.server.db_url, "--area", area, "--month", month]
    assert server_cli([*args, "--out", str(out)]) == code
    assert says in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_command_never_overwrites_a_file(centre, tmp_path, capsys) -> None:
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"the committee's own notes")
    args = ["report", "monthly", "--db", centre.server.db_url, "--area", "nation", "--month", MONTH]
    assert server_cli([*args, "--out", str(taken)]) == 1
    assert taken.read_bytes() == b"the committee's own notes"
    assert server_cli([*args, "--out", str(tmp_path / "no" / "such" / "folder.pdf")]) == 1
    assert "refused" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.pdf"]
