"""holidays: its version (read from its metadata on import) and the Lao calendar's names.

Working days skip Lao public holidays (odsc_desk/domain/workdays.py, country "LA"); the names of the
other 200 countries' holidays stay out.
"""

from pathlib import Path

from PyInstaller.utils.hooks import copy_metadata, get_package_paths

_, _package = get_package_paths("holidays")
datas = [
    *copy_metadata("holidays"),
    *(
        (str(mo), mo.parent.relative_to(Path(_package).parent).as_posix())
        for mo in sorted(Path(_package).glob("locale/*/LC_MESSAGES/LA.mo"))
    ),
]
