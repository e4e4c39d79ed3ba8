"""The Debian package (`make deb`): its control data, its files, and the bundle inside it
unpacked into a scratch root (dpkg -x) passing the same smoke test as dist/odsc-desk."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
from pathlib import Path

import pytest

from odsc_desk import __version__
from tests.packaging.built import deb, run_smoke

# Libraries the bundled Qt links that are not in the bundle (`ldd` says "not found" on a machine
# without them) and the package in Depends that provides each.
NOT_BUNDLED = {"libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1"}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The package's files, unpacked as dpkg would install them, under a scratch folder."""
    folder = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg", "-x", str(deb()), str(folder)], check=True)
    return folder


def field(name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb()), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def depends() -> set[str]:
    return {re.sub(r"\s*\(.*\)", "", item).strip() for item in field("Depends").split(",")}


def test_control_fields():
    assert field("Package") == "odsc-desk"
    assert field("Version") == __version__
    assert field("Architecture") in ("amd64", "arm64")
    assert field("Maintainer")
    assert int(field("Installed-Size")) > 50_000  # KiB: the whole bundle is inside
    assert set(NOT_BUNDLED.values()) | {"libc6", "libegl1", "libxcb1", "tzdata"} <= depends()


def test_files_links_and_menu_entry(root):
    assert os.readlink(root / "usr/bin/odsc") == "/opt/odsc-desk/odsc"
    assert os.readlink(root / "usr/bin/odsc-desk") == "/opt/odsc-desk/odsc-desk"
    for path in (
        "usr/share/icons/hicolor/256x256/apps/odsc-desk.png",
        "usr/share/icons/hicolor/scalable/apps/odsc-desk.svg",
        "usr/share/doc/odsc-desk/copyright",
    ):
        assert (root / path).is_file(), path
    assert (root / "usr/share/icons/hicolor/256x256/apps/odsc-desk.png").read_bytes()[:4] == (
        b"\x89PNG"
    )
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive: Name[lo]
    entry.read(root / "usr/share/applications/odsc-desk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "odsc-desk"
    assert desktop["Icon"] == "odsc-desk"
    assert desktop["Name"] == "ODSC Desk"
    assert any("\u0e80" <= char <= "\u0eff" for char in desktop["Name[lo]"])


def test_the_installed_bundle_passes_the_smoke_test(root):
    done = run_smoke(root / "opt" / "odsc-desk")
    assert done.returncode == 0, done.stdout + done.stderr


def test_started_through_a_link_it_finds_its_libraries(root, tmp_path):
    # /usr/bin/odsc is a link into /opt: the program must find _internal/ next to its real file.
    link = tmp_path / "odsc"
    link.symlink_to(root / "opt" / "odsc-desk" / "odsc")
    done = subprocess.run(
        [str(link), "--version"], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert done.stdout.strip() == f"odsc {__version__}", done.stderr


def test_what_the_bundle_needs_from_the_system_is_in_depends(root):
    """Every library a bundled file links that is not in the bundle comes from a package in
    Depends (or one of their own dependencies); none is missing but the two Depends brings."""
    bundle = root / "opt" / "odsc-desk"
    internal = bundle / "_internal"
    env = {"LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing, system = set(), set()
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        listing = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True)
        for name, target in re.findall(r"^\s*(\S+) => (not found|\S+)", listing.stdout, re.M):
            if target == "not found":
                missing.add(name)
            elif not target.startswith(str(bundle)):
                system.add(target)
    assert missing <= set(NOT_BUNDLED), f"add to Depends: {missing - set(NOT_BUNDLED)}"
    allowed = depends() | {dep for package in depends() for dep in installed_depends(package)}
    owners = {path: owner(path) for path in system}
    unlisted = {path: pkg for path, pkg in owners.items() if pkg not in allowed}
    assert unlisted == {}, "add their packages to Depends"


def owner(path: str) -> str:
    """The installed package a library file belongs to (merged /usr: try both spellings)."""
    real = os.path.realpath(path)
    for candidate in (path, real, "/usr" + path, path.removeprefix("/usr")):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0]
    return f"? {path}"


def installed_depends(package: str) -> set[str]:
    found = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True
    )
    return {re.sub(r"\s*\(.*\)", "", item).strip() for item in found.stdout.split(",") if item}
