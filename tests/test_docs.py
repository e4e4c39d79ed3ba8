"""Every `odsc` and `odsc-server` command and option must be in the README: a test that fails
when one is not."""

import argparse
import re
from pathlib import Path

import pytest

from sync.server.cli import build_parser as build_server_parser
from ui.cli.main import build_parser

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "odsc"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{prefix} {name}")
            return
    yield prefix, parser


COMMANDS = list(_commands(build_parser())) + list(_commands(build_server_parser(), "odsc-server"))


def test_there_are_commands_to_check():
    assert len(COMMANDS) > 20


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_command_and_its_options_are_documented(command, parser):
    assert re.search(rf"`{re.escape(command)}[ `]", README), f"{command} missing from README"
    options = [
        opt
        for action in parser._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help"
    ]
    undocumented = [opt for opt in options if f"{opt}" not in README]
    assert not undocumented, f"{command}: {undocumented}"


@pytest.mark.parametrize("target", ["make run", "make test"])
def test_two_setup_commands(target):
    assert target in README


def test_every_key_of_the_window_is_in_the_readme():
    """The F1 list (ui/main_window.SHORTCUTS) and the README's table name the same keys."""
    from ui.main_window import SHORTCUTS

    keys = {token for _, group in SHORTCUTS for key, _ in group for token in key.split()}
    table = README[README.index("Keyboard shortcuts (also under Help") :]
    assert sorted(k for k in keys if k not in table) == []
