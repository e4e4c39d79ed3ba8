"""The built bundle, dist/odsc-desk (`make dist`): what is in it, and the smoke test run on it.

The smoke test (packaging/smoke.py) runs a counter's first day with the bundled programs alone
in an empty environment: odsc --version, init, a payment, a receipt PDF with the bundled Lao
fonts, check, and the window's self-test. Where strace is installed it also fails on any Python
file opened from outside the bundle.
"""

from __future__ import annotations

import shutil

from tests.packaging.built import ROOT, bundle, run_smoke

# The centre's server and the libraries only it uses.
SERVER_STACK = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pydantic",
)
# Qt parts the spec and packaging/hooks/hook-PySide6.QtGui.py keep out.
UNUSED_QT = (
    "libQt6Network",
    "libQt6Qml",
    "libQt6Quick",
    "libQt6WaylandClient",
    "libQt6EglFS",
    "libQt6OpenGL",
    "libQt6Pdf",
    "libQt6WebEngine",
    "libQt6Multimedia",
    "libQt63D",
    "libqgtk3",
    "libqwayland",
    "libqeglfs",
    "libqvnc",
)


def modules() -> set[str]:
    """The Python modules in the bundle: .pyc files in _internal/, shared by both programs."""
    internal = bundle() / "_internal"
    return {
        ".".join(path.relative_to(internal).with_suffix("").parts).removesuffix(".__init__")
        for path in internal.rglob("*.pyc")
    }


def test_the_bundle_passes_the_smoke_test():
    done = run_smoke(bundle())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke test passed" in done.stdout
    assert "receipt.pdf embeds" in done.stdout
    if shutil.which("strace"):
        assert done.stdout.count("[strace: no host Python]") == 2, done.stdout


def test_both_programs_share_one_set_of_libraries():
    folder = bundle()
    assert sorted(p.name for p in folder.iterdir()) == ["_internal", "odsc", "odsc-desk"]
    # Each program is only the launcher; everything else is in _internal/, once.
    assert all((folder / name).stat().st_size < 2_000_000 for name in ("odsc", "odsc-desk"))
    assert {"ui.app", "ui.wizard", "ui.cli.main", "sync.client", "receipts.receipt"} <= modules()


def test_the_server_is_left_out():
    found = sorted(
        name
        for name in modules()
        if name.split(".")[0] in SERVER_STACK or name.startswith("sync.server")
    )
    assert found == [], f"the server stack is in the bundle: {found[:10]}"


def test_unused_qt_modules_plugins_and_translations_are_left_out():
    internal = bundle() / "_internal"
    found = sorted(
        str(p.relative_to(internal))
        for p in internal.rglob("*")
        if any(p.name.startswith(name) for name in UNUSED_QT)
    )
    assert found == []
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    # What the window does need is there: the X11 and offscreen platforms, and printing (Qt's
    # print support and CUPS plugin, PDFium to render the pages), which the smoke test's
    # self-test does not reach.
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqxcb.so").exists()
    assert (plugins / "platforms" / "libqoffscreen.so").exists()
    assert (plugins / "printsupport" / "libcupsprintersupport.so").exists()
    assert (internal / "PySide6" / "QtPrintSupport.abi3.so").exists()
    assert (internal / "pypdfium2_raw" / "libpdfium.so").exists()
    assert {"ui.printing", "ui.print_jobs", "pypdfium2"} <= modules()


def test_the_data_files_are_the_projects():
    internal = bundle() / "_internal"
    for folder, pattern in (
        ("receipts/fonts", "*"),
        ("ui/translations", "*_lo.qm"),
        ("odsc_desk/data", "*.json"),
    ):
        expected = sorted(p.name for p in (ROOT / folder).glob(pattern))
        bundled = sorted(p.name for p in (internal / folder).glob(pattern))
        assert bundled == expected and expected, folder
        for name in expected:
            assert (internal / folder / name).read_bytes() == (ROOT / folder / name).read_bytes()
    # The .ts sources stay out; the licences of the fonts go in.
    assert not list((internal / "ui" / "translations").glob("*.ts"))
    assert (internal / "receipts" / "fonts" / "NotoSansLao-LICENSE-OFL-1.1.txt").exists()
    assert (internal / "reportlab" / "fonts" / "bitstream-vera-license.txt").exists()
