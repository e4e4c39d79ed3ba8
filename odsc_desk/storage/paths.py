"""Where the counter's data folder is by default (platformdirs), kept apart from the CLI so the
window can find it without loading every command."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("odsc-desk", appauthor=False))
