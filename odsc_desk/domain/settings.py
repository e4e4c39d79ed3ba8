"""Office settings, declared in one place with their type, default and label.

Settings are configuration, not facts: the `settings` table is updated in place, and each change
is written to the audit chain.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TypedDict, cast

from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.errors import ValidationError
from odsc_desk.storage.ledger import audit
from odsc_desk.storage.store import Store


@dataclass(frozen=True)
class Setting:
    key: str
    default: int | str | bool
    label_lo: str
    label_en: str
    choices: tuple[str, ...] = ()
    role: str = "supervisor"  # who may change it


SETTINGS = {
    s.key: s
    for s in (
        Setting(
            "cash_difference_limit",
            0,
            "ສ່ວນຕ່າງເງິນສົດທີ່ບໍ່ຕ້ອງຂໍອະນຸມັດ (ກີບ)",
            "Cash difference allowed without a supervisor (kip)",
        ),
        Setting(
            "allow_partial_payment",
            False,
            "ອະນຸຍາດໃຫ້ຈ່າຍບາງສ່ວນ",
            "Allow paying part of a fee",
        ),
        Setting(
            "max_amount",
            100_000_000,
            "ຈຳນວນເງິນສູງສຸດຕໍ່ລາຍການ (ກີບ)",
            "Largest amount in one entry (kip)",
        ),
        # CLDR gives "." as the Lao grouping separator, but "150,000 ກີບ" is what offices write:
        # a setting, with the common form as the default.
        Setting(
            "money_grouping",
            ",",
            "ເຄື່ອງໝາຍແບ່ງຫຼັກພັນ",
            "Thousands separator",
            (",", ".", " "),
        ),
        Setting("money_unit", "ກີບ", "ຫົວໜ່ວຍເງິນ", "Money unit", ("ກີບ", "₭", "LAK")),
        Setting(
            "legal_basis",
            "ດຳລັດວ່າດ້ວຍຄ່າທຳນຽມ ແລະ ຄ່າບໍລິການ ເລກທີ 001/ປທ, 2017",
            "ພື້ນຖານທາງກົດໝາຍທີ່ພິມໃສ່ໃບຮັບເງິນ",
            "Legal basis printed on receipts",
        ),
        # Printing from the window, for the receipt after a payment and every other document:
        # "ask" shows it before it goes to the printer, "now" sends it at once, "pdf" only saves
        # it (and opens it). With no printer on the PC every document is saved as a PDF and
        # opened, whatever the choice.
        Setting(
            "print_after_payment",
            "ask",
            "ວິທີພິມເອກະສານ (ໃບຮັບເງິນຫຼັງຮັບເງິນ, ໃບນັດ, ລາຍງານ)",
            "How documents are printed (the receipt after a payment, slips, summaries)",
            ("ask", "now", "pdf"),
        ),
        Setting("receipt_paper", "80mm", "ເຈ້ຍພິມໃບຮັບເງິນ", "Receipt paper", ("80mm", "a4")),
        # Each paper its printer: receipts and slips go to `printer` (a thermal roll printer,
        # usually), the A4 daily summary to `a4_printer`. An empty `a4_printer` is the receipt
        # printer when receipts are on A4 too (one paper, one printer, as before this setting),
        # else the system's default: an A4 page is never sent to a roll printer unasked.
        Setting(
            "printer",
            "",
            "ເຄື່ອງພິມໃບຮັບເງິນ ແລະ ໃບນັດ (ວ່າງໄວ້: ເຄື່ອງພິມຫຼັກຂອງລະບົບ)",
            "Receipt printer, for receipts and slips (empty: the system's default printer)",
        ),
        Setting(
            "a4_printer",
            "",
            "ເຄື່ອງພິມເຈ້ຍ A4 ສຳລັບລາຍງານປະຈຳວັນ (ວ່າງໄວ້: ເຄື່ອງພິມຫຼັກຂອງລະບົບ,"
            " ຫຼື ເຄື່ອງພິມໃບຮັບເງິນ ຖ້າໃບຮັບເງິນພິມໃສ່ເຈ້ຍ A4 ຄືກັນ)",
            "A4 printer, for the daily summary (empty: the system's default printer, or the"
            " receipt printer when receipts are on A4 too)",
        ),
        # A counter PC is often left with a clerk logged in while they step away: after this
        # many minutes without a key or a click the window asks for a password again. 0: never.
        Setting(
            "idle_lock_minutes",
            15,
            "ລັອກໜ້າຈໍເມື່ອບໍ່ມີການໃຊ້ງານ (ນາທີ, 0: ບໍ່ລັອກ)",
            "Lock the window after this many idle minutes (0: never)",
        ),
        # Automatic backups (autobackup.py) go to <data folder>/backups/auto and, when this is
        # set, a second folder too: a USB drive, so a dead disk does not take the copies along.
        Setting(
            "backup_second_location",
            "",
            "ບ່ອນສຳຮອງທີສອງ (ເຊັ່ນ USB; ວ່າງໄວ້: ບໍ່ມີ)",
            "Second backup location (a USB drive, for example; empty: none)",
        ),
        Setting(
            "backup_keep_daily",
            14,
            "ຈຳນວນສຳເນົາລາຍວັນທີ່ເກັບໄວ້",
            "Daily backups kept",
        ),
        Setting(
            "backup_keep_monthly",
            12,
            "ຈຳນວນສຳເນົາທ້າຍເດືອນທີ່ເກັບໄວ້",
            "Month-end backups kept",
        ),
        # Four eyes: a void, a refund or a cash difference is approved by a second person. An
        # office with one supervisor working alone turns this on; only an admin may, since a
        # supervisor turning it on would approve their own voids.
        Setting(
            "self_approval",
            False,
            "ຫົວໜ້າອະນຸມັດການຍົກເລີກ, ການຄືນເງິນ ຫຼື ສ່ວນຕ່າງເງິນສົດຂອງຕົນເອງໄດ້ (ຫ້ອງການທີ່ມີຄົນດຽວ)",
            "A supervisor may approve their own void, refund or cash difference"
            " (one-person offices)",
            role="admin",
        ),
    )
}


class SettingValues(TypedDict):
    """Every setting's value (`all_values`), of its default's type: one key per SETTINGS entry."""

    cash_difference_limit: int
    allow_partial_payment: bool
    max_amount: int
    money_grouping: str
    money_unit: str
    legal_basis: str
    print_after_payment: str
    receipt_paper: str
    printer: str
    a4_printer: str
    idle_lock_minutes: int
    backup_second_location: str
    backup_keep_daily: int
    backup_keep_monthly: int
    self_approval: bool


def _decode(setting: Setting, raw: str) -> int | str | bool:
    if isinstance(setting.default, bool):
        return raw == "1"
    if isinstance(setting.default, int):
        return int(raw)
    return raw


def _encode(setting: Setting, value: str) -> str:
    """Parse what a person typed for this setting into its stored text."""
    if isinstance(setting.default, bool):
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return "1"
        if lowered in ("0", "false", "no", "off"):
            return "0"
        raise ValidationError("setting.bool", setting.key)
    if isinstance(setting.default, int):
        text = value.strip().replace(",", "")
        if not re.fullmatch(r"[0-9]{1,15}", text):
            raise ValidationError("setting.int", setting.key)
        return str(int(text))
    if setting.choices and value not in setting.choices:
        raise ValidationError("setting.choice", setting.key, choices=" ".join(setting.choices))
    return value if setting.choices else value.strip()


def get(store: Store, key: str) -> int | str | bool:
    setting = SETTINGS[key]
    raw = store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return setting.default if raw is None else _decode(setting, raw)


def encode(key: str, value: str) -> str:
    if key not in SETTINGS:
        raise ValidationError("setting.unknown", "key", key=key)
    return _encode(SETTINGS[key], value)


def all_values(store: Store) -> SettingValues:
    # `get` gives each value its default's type, and SettingValues names every setting so.
    return cast(SettingValues, {key: get(store, key) for key in SETTINGS})


def set_value(store: Store, actor: Actor, key: str, value: str) -> int | str | bool:
    """Change one setting (supervisors, or admins where the setting says so); the change is
    chained into the audit log."""
    require_role(actor, "supervisor")
    encoded = encode(key, value)
    require_role(actor, SETTINGS[key].role)
    digest = hashlib.sha256(canonical({"key": key, "value": encoded})).digest()
    with store.transaction():
        store.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, encoded),
        )
        audit(store, actor.id, "setting_changed", "settings", key, digest)
    return get(store, key)
