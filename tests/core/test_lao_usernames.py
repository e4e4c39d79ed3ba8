"""User names in Lao: accepted, unique whatever their Unicode form, found when typed either way.

Lao vowel signs and tone marks are combining marks, so a name is compared in one form (NFC,
lower case: `users.username_key`). Lao text has no precomposed letters, but NFC puts a vowel
below (ຸ ູ) before a tone mark, so a name typed tone first is the same name; Latin names
differ between NFD and NFC outright.
"""

from __future__ import annotations

import unicodedata

import pytest

from odsc_desk.domain import users
from odsc_desk.shared.errors import AuthError, ValidationError
from tests.conftest import PASSWORD, Counter
from tests.core.test_cli import one_json, run_cli, snapshot

LAO_NAMES = ["ສົມສັກ", "ວັນນາ", "ບຸນມີ"]
TUNGTHONG = "ທຸ່ງທອງ"  # NFC: ທ ຸ ່ ...
TUNGTHONG_TONE_FIRST = "\u0e97\u0ec8\u0eb8\u0e87\u0e97\u0ead\u0e87"  # ທ ່ ຸ ...: same name
# (as stored, as typed): the same name in another Unicode form.
SAME_NAME = [
    ("ສົມສັກ", unicodedata.normalize("NFD", "ສົມສັກ")),
    (TUNGTHONG, TUNGTHONG_TONE_FIRST),
    ("josé", unicodedata.normalize("NFD", "josé")),
]
SAME_NAME_IDS = ["lao-nfd", "lao-tone-first", "latin-nfd"]


def test_the_tone_first_spelling_differs_but_normalises_the_same() -> None:
    assert TUNGTHONG_TONE_FIRST != TUNGTHONG
    assert unicodedata.normalize("NFD", TUNGTHONG_TONE_FIRST) == TUNGTHONG
    assert unicodedata.normalize("NFD", "josé") != "josé"


@pytest.mark.parametrize("name", LAO_NAMES, ids=["somsak", "vanna", "bounmy"])
def test_a_lao_name_is_accepted(counter: Counter, name: str) -> None:
    actor = users.add_user(counter.store, counter.admin, name, "clerk", PASSWORD)
    assert actor.username == name
    assert name in [u["username"] for u in users.list_users(counter.store)]


@pytest.mark.parametrize(("stored", "typed"), SAME_NAME, ids=SAME_NAME_IDS)
def test_the_same_name_in_another_form_is_a_duplicate(
    counter: Counter, stored: str, typed: str
) -> None:
    users.add_user(counter.store, counter.admin, stored, "clerk", PASSWORD)
    before = snapshot(counter.data_dir)
    with pytest.raises(ValidationError) as refused:
        users.add_user(counter.store, counter.admin, typed, "clerk", PASSWORD)
    assert refused.value.code == "user.exists"
    assert snapshot(counter.data_dir) == before


@pytest.mark.parametrize(("stored", "typed"), SAME_NAME, ids=SAME_NAME_IDS)
def test_a_user_logs_in_with_the_name_typed_either_way(
    counter: Counter, stored: str, typed: str
) -> None:
    added = users.add_user(counter.store, counter.admin, typed, "clerk", PASSWORD)
    assert added.username == stored
    for spelling in (stored, typed):
        assert users.authenticate(counter.store, spelling, PASSWORD).id == added.id


def test_a_lao_supervisor_approves_with_the_name_typed_tone_first(counter: Counter) -> None:
    added = users.add_user(counter.store, counter.admin, TUNGTHONG, "supervisor", PASSWORD)
    assert users.approve(counter.store, TUNGTHONG_TONE_FIRST, PASSWORD).id == added.id


def test_a_lao_user_with_a_wrong_password_is_refused(counter: Counter) -> None:
    users.add_user(counter.store, counter.admin, "ສົມສັກ", "clerk", PASSWORD)
    with pytest.raises(AuthError) as refused:
        users.authenticate(counter.store, "ສົມສັກ", "not-the-password")
    assert refused.value.code == "auth.failed"


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "\u0eb4\u0ec8",  # marks only
        "\u0ec8ສົມສັກ",  # a tone mark with no letter under it
        "ສົມ1\u0eb4",  # a vowel sign on a digit
        "ສົມ_\u0ec8",  # a tone mark on a separator
        "ສົມ\x00ສັກ",  # a control character
        "ສົມ\u200bສັກ",  # an invisible (format) character
        "ສົມ ສັກ",  # a space
        "ສົມສັກ!",
        "ສ" * 41,
    ],
    ids=[
        "empty",
        "spaces",
        "marks-only",
        "starts-with-mark",
        "mark-on-digit",
        "mark-on-separator",
        "control",
        "zero-width-space",
        "space-inside",
        "punctuation",
        "too-long",
    ],
)
def test_a_bad_name_is_refused_in_both_languages_and_changes_nothing(
    counter: Counter, name: str
) -> None:
    before = snapshot(counter.data_dir)
    with pytest.raises(ValidationError) as refused:
        users.add_user(counter.store, counter.admin, name, "clerk", PASSWORD)
    error = refused.value
    assert (error.code, error.field) == ("user.name_invalid", "username")
    assert "40" in error.message_lo and "40" in error.message_en
    assert "ຊື່ຜູ້ໃຊ້" in error.message_lo and "user name" in error.message_en
    assert snapshot(counter.data_dir) == before


def test_forty_lao_characters_are_allowed(counter: Counter) -> None:
    name = "ສົມສັກ" * 6 + "ວັນນ"  # 40 code points, marks counted
    assert len(name) == 40
    assert users.add_user(counter.store, counter.admin, name, "clerk", PASSWORD).username == name


def test_the_command_line_adds_and_logs_in_a_lao_user(counter: Counter) -> None:
    data = counter.data_dir
    new = {"ODSC_PASSWORD": PASSWORD, "ODSC_NEW_PASSWORD": "lao-pass-12"}
    added = run_cli(data, "user", "add", "ສົມສັກ", "--role", "clerk", user="admin", env=new)
    assert added.code == 0, added
    assert "ສົມສັກ (clerk)" in added.out
    listed = run_cli(
        data, "user", "list", user="admin", env={"ODSC_PASSWORD": PASSWORD}, json_out=True
    )
    assert {"username": "ສົມສັກ", "role": "clerk"}.items() <= next(
        u for u in one_json(listed.out)["users"] if u["username"] == "ສົມສັກ"
    ).items()
    typed = unicodedata.normalize("NFD", "ສົມສັກ")
    opened = run_cli(
        data, "session", "open", "--float", "0", user=typed, env={"ODSC_PASSWORD": "lao-pass-12"}
    )
    assert opened.code == 0, opened
