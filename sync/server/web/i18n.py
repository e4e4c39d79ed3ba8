"""The pages' words in Lao and English: Lao first, English at a click (`?lang=en`, kept in a
cookie). Strings take `{named}` placeholders filled by `tr`, never pieces glued together, so a
translation may put them in its own order; a test checks both languages name the same ones."""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["lo", "en"]
LANGS: tuple[Lang, ...] = ("lo", "en")
DEFAULT: Lang = "lo"

STRINGS: dict[str, tuple[str, str]] = {
    # the frame of every page
    "site": ("ບໍລິການປະຕູດຽວ · ສູນກາງ", "One-Door Service · the centre"),
    "skip": ("ຂ້າມໄປຫາເນື້ອໃນ", "Skip to the content"),
    "other_lang": ("English", "ພາສາລາວ"),
    "logged_in_as": ("ເຂົ້າລະບົບເປັນ {name}", "Logged in as {name}"),
    "logout": ("ອອກຈາກລະບົບ", "Log out"),
    "kip": ("{amount} ກີບ", "{amount} kip"),
    "never": ("ບໍ່ເຄີຍ", "never"),
    # logging in
    "login": ("ເຂົ້າສູ່ລະບົບ", "Log in"),
    "name": ("ຊື່ຜູ້ໃຊ້", "Name"),
    "password": ("ລະຫັດຜ່ານ", "Password"),
    "login_failed": ("ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ", "Wrong name or password"),
    "login_wait": (
        "ລະຫັດຜ່ານຜິດຫຼາຍເທື່ອ: ກະລຸນາລໍຖ້າ {seconds} ວິນາທີ ແລ້ວລອງໃໝ່",
        "Too many wrong passwords: wait {seconds} seconds and try again",
    ),
    "login_locked": (
        "ຊື່ຜູ້ໃຊ້ນີ້ຖືກລັອກຍ້ອນລະຫັດຜ່ານຜິດຫຼາຍເທື່ອ ຈົນຮອດເວລາ {until}",
        "This name is locked after too many wrong passwords, until {until}",
    ),
    # refusals (shown in both languages: the person may not read the one chosen)
    "forbidden_title": ("ບໍ່ມີສິດເຂົ້າເຖິງ", "Not allowed"),
    "denied": ("ທ່ານບໍ່ມີສິດເບິ່ງຕົວເລກຂອງ {area}", "You may not see the figures of {area}"),
    "no_place_scope": (
        "ບັນຊີນີ້ບໍ່ມີສິດເບິ່ງສະຖານທີ່ໃດທັງໝົດ (ສິດຕາມກະຊວງຍັງບໍ່ມີໜ້າເວັບ)",
        "This account may see no place as a whole (pages for a ministry's scope are not built yet)",
    ),
    "csrf": (
        "ແບບຟອມນີ້ໝົດອາຍຸ ຫຼື ບໍ່ໄດ້ມາຈາກໜ້ານີ້: ກະລຸນາໂຫຼດໜ້າຄືນໃໝ່ ແລ້ວລອງອີກ",
        "This form has expired or did not come from this site: reload the page and try again",
    ),
    "too_many": (
        "ເກີນ {area} ລາຍການ: ກະລຸນາເລືອກໄລຍະເວລາທີ່ສັ້ນກວ່າ ຫຼື ພື້ນທີ່ທີ່ນ້ອຍກວ່າ",
        "More than {area} rows: choose a shorter period or a smaller area",
    ),
    "not_found_title": ("ບໍ່ພົບ", "Not found"),
    "not_found": ("ບໍ່ພົບ {area} ຢູ່ສູນກາງນີ້", "{area} is not known at this centre"),
    "back_home": ("ກັບໄປໜ້າພາບລວມຂອງທ່ານ", "Back to your overview"),
    # The figures say why in English only; the help under the field says how, in both.
    "bad_period": ("ໄລຍະເວລາ {text} ບໍ່ຖືກຕ້ອງ", "{text} is not a period"),
    # places
    "nation": ("ທົ່ວປະເທດ", "The nation"),
    "province": ("ແຂວງ", "Province"),
    "district": ("ເມືອງ", "District"),
    "office": ("ຫ້ອງການ", "Office"),
    "counter_named": ("ປ່ອງບໍລິການ {counter}", "Counter {counter}"),
    "levels": ("ລະດັບ", "Levels"),
    "provinces": ("ແຂວງ", "Provinces"),
    "districts": ("ເມືອງ", "Districts"),
    "offices": ("ຫ້ອງການ", "Offices"),
    "counters": ("ປ່ອງບໍລິການ", "Counters"),
    "offices_no_district": ("ຫ້ອງການທີ່ຍັງບໍ່ຢູ່ໃນເມືອງໃດ", "Offices in no district yet"),
    "none_below": ("ຍັງບໍ່ມີລາຍການ", "None registered yet"),
    # the period
    "period": ("ໄລຍະເວລາ", "Period"),
    "period_help": (
        "ຂຽນເປັນ 2026-11 (ເດືອນ), 2026-Q4 (ໄຕມາດ), 2026 (ປີ) ຫຼື 2026-10-01..2026-10-31",
        "Write 2026-11 (a month), 2026-Q4 (a quarter), 2026 (a year) or 2026-10-01..2026-10-31",
    ),
    "silent_days": ("ປ່ອງທີ່ງຽບເກີນ (ມື້)", "Silent for more than (days)"),
    "show": ("ສະແດງ", "Show"),
    "this_month": ("ເດືອນນີ້", "This month"),
    "last_month": ("ເດືອນກ່ອນ", "Last month"),
    "this_quarter": ("ໄຕມາດນີ້", "This quarter"),
    "this_year": ("ປີນີ້", "This year"),
    "period_span": ("{start} ຫາ {end}", "{start} to {end}"),
    "compared": ("ທຽບກັບ {start} ຫາ {end}", "against {start} to {end}"),
    "quarter_label": ("ໄຕມາດ {number} ປີ {year}", "Quarter {number} of {year}"),
    "year_label": ("ປີ {year}", "Year {year}"),
    # the headline figures
    "headline": ("ຕົວເລກຫຼັກ", "Headline figures"),
    "received": ("ຄຳຮ້ອງທີ່ໄດ້ຮັບ", "Requests received"),
    "on_time_rate": ("ອັດຕາສຳເລັດທັນກຳນົດ", "On-time rate"),
    "on_time_of": ("{on_time} ຈາກ {ready} ທີ່ສຳເລັດ", "{on_time} of {ready} completed"),
    "overdue": ("ເກີນກຳນົດຕອນນີ້", "Overdue now"),
    "net_fees": ("ຄ່າທຳນຽມສຸດທິ", "Net fees"),
    "mean_rating": ("ຄະແນນຄວາມພໍໃຈສະເລ່ຍ (ຈາກ 5)", "Mean satisfaction rating (of 5)"),
    "response_rate": ("ອັດຕາການໃຫ້ຄະແນນ", "Response rate"),
    "rated_of": (
        "{feedback} ຄະແນນ ຈາກ {received} ຄຳຮ້ອງ",
        "{feedback} ratings for {received} requests",
    ),
    "silent": ("ປ່ອງທີ່ບໍ່ໄດ້ຊິ້ງເກີນ {days} ມື້", "Counters silent for more than {days} days"),
    "silent_of": ("ຈາກ {counters} ປ່ອງ", "of {counters} counters"),
    "previous": ("ໄລຍະກ່ອນ: {value}", "Previous period: {value}"),
    "not_per_counter": ("ບໍ່ໄດ້ນັບແຍກຕາມປ່ອງ", "not counted per counter"),
    # the trend
    "trend_day": ("ຄຳຮ້ອງທີ່ໄດ້ຮັບ ຕໍ່ມື້", "Requests received per day"),
    "trend_month": ("ຄຳຮ້ອງທີ່ໄດ້ຮັບ ຕໍ່ເດືອນ", "Requests received per month"),
    "as_table": ("ເບິ່ງເປັນຕາຕະລາງ", "Show as a table"),
    "date": ("ວັນທີ", "Date"),
    "month": ("ເດືອນ", "Month"),
    "requests": ("ຄຳຮ້ອງ", "Requests"),
    "most": ("ສູງສຸດ {value}", "most {value}"),
    # the tiles
    "tiles_legend": (
        "ສີບອກອັດຕາສຳເລັດທັນກຳນົດ: ຂຽວ 90% ຂຶ້ນໄປ, ເຫຼືອງ 75–89%, ແດງ ຕ່ຳກວ່າ 75%, ເທົາ ບໍ່ມີຄຳຮ້ອງສຳເລັດ",
        "Colour shows the on-time rate: green 90% or more, yellow 75–89%, red below 75%, "
        "grey none completed",
    ),
    "counters_legend": (
        "ສີບອກການຊິ້ງ: ຂຽວ ຊິ້ງພາຍໃນ {days} ມື້, ແດງ ງຽບເກີນ {days} ມື້",
        "Colour shows syncing: green synced within {days} days, red silent for more than "
        "{days} days",
    ),
    "tile_on_time": ("ທັນກຳນົດ {rate}", "On time {rate}"),
    "tile_received": ("{count} ຄຳຮ້ອງ", "{count} requests"),
    "rate_good": ("ດີ", "good"),
    "rate_fair": ("ພໍໃຊ້", "fair"),
    "rate_low": ("ຕ່ຳ", "low"),
    "rate_none": ("ບໍ່ມີຂໍ້ມູນ", "no data"),
    "last_sync": ("ຊິ້ງຫຼ້າສຸດ {when}", "Last sync {when}"),
    "sync_silent": ("ງຽບ", "silent"),
    "sync_active": ("ເຮັດວຽກ", "active"),
    # the overdue list
    "overdue_list": ("ຄຳຮ້ອງເກີນກຳນົດ", "Overdue requests"),
    "overdue_of": ("ຄຳຮ້ອງເກີນກຳນົດ: {area}", "Overdue requests: {area}"),
    "overdue_help": (
        "ຄຳຮ້ອງທີ່ຍັງບໍ່ສຳເລັດ ເຊິ່ງວັນນັດຮັບຢູ່ໃນໄລຍະນີ້ ແລະ ຜ່ານໄປແລ້ວ, ເກົ່າສຸດກ່ອນ",
        "Requests not yet ready whose promised date, within the period, has passed; oldest first",
    ),
    "overdue_total": ("ທັງໝົດ {count} ຄຳຮ້ອງ", "{count} requests in all"),
    "service": ("ບໍລິການ", "Service"),
    "all_services": ("ທຸກບໍລິການ", "All services"),
    "tracking": ("ເລກຕິດຕາມ", "Tracking number"),
    "received_on": ("ວັນທີຮັບ", "Received"),
    "promised_on": ("ວັນນັດຮັບ", "Promised"),
    "days_late": ("ຊ້າ (ວັນລັດຖະການ)", "Days overdue (working days)"),
    "citizen": ("ຊື່ຜູ້ຍື່ນ", "Citizen"),
    "phone": ("ເບີໂທ", "Phone"),
    "personal_logged": (
        "ທ່ານເຫັນຂໍ້ມູນສ່ວນບຸກຄົນ: ການເບິ່ງນີ້ຖືກບັນທຶກໄວ້",
        "You see personal data: this reading is logged",
    ),
    "no_overdue": ("ບໍ່ມີຄຳຮ້ອງເກີນກຳນົດ", "No request is overdue"),
    "next_page": ("ໜ້າຕໍ່ໄປ", "Next page"),
    "first_page": ("ໜ້າທຳອິດ", "First page"),
    "download_csv": ("ດາວໂຫຼດ CSV", "Download CSV"),
    "download_xlsx": ("ດາວໂຫຼດ Excel (XLSX)", "Download Excel (XLSX)"),
    "bad_cursor": ("ລິ້ງໜ້ານີ້ບໍ່ຖືກຕ້ອງ", "This page's link is not valid"),
    # the counters
    "counters_of": ("ປ່ອງບໍລິການ: {area}", "Counters: {area}"),
    "counters_help": (
        "ແຕ່ລະປ່ອງ ຕາມທີ່ສູນກາງເຫັນຕອນນີ້ (ເວລາວຽງຈັນ)",
        "Each counter as the centre sees it now (Vientiane time)",
    ),
    "counters_silent": (
        "{silent} ຈາກ {counters} ປ່ອງ ງຽບເກີນ {days} ມື້",
        "{silent} of {counters} counters silent for more than {days} days",
    ),
    "counter": ("ປ່ອງ", "Counter"),
    "last_sync_head": ("ຊິ້ງຫຼ້າສຸດ", "Last sync"),
    "days_silent": ("ງຽບມາ (ມື້)", "Days silent"),
    "state": ("ສະຖານະ", "State"),
    "clock_skew": ("ໂມງຄາດເຄື່ອນ (ວິນາທີ)", "Clock skew (seconds)"),
    "chain_flagged": ("ສາຍບັນທຶກບໍ່ຕໍ່", "Anchors not extended"),
    "parked": ("ຂໍ້ມູນຄ້າງ", "Facts parked"),
    "no_counters": ("ຍັງບໍ່ມີປ່ອງບໍລິການ", "No counter enrolled yet"),
}


def tr(lang: Lang, key: str, **values: Any) -> str:
    text = STRINGS[key][0 if lang == "lo" else 1]
    return text.format(**values) if values else text


def pick(value: str | None) -> Lang:
    """The language a cookie or a query names; Lao for anything else."""
    return "en" if value == "en" else DEFAULT
