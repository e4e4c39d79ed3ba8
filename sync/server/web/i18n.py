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
        "ບັນຊີນີ້ບໍ່ມີຂອບເຂດໃດເລີຍ: ບໍ່ມີສິດເບິ່ງສະຖານທີ່ ຫຼື ບໍລິການຂອງກະຊວງໃດ",
        "This account has no scope: it may see no place and no ministry's services",
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
    "new_date_told": ("ວັນນັດໃໝ່ທີ່ແຈ້ງແລ້ວ", "New date given"),
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
    # the services and ministries, cash and revenue pages
    # the services and ministries page
    "sv_title": ("ບໍລິການ ແລະ ກະຊວງ", "Services and ministries"),
    "sv_of": ("ບໍລິການ ແລະ ກະຊວງ: {area}", "Services and ministries: {area}"),
    "sv_help": (
        "ຄຳຮ້ອງ, ຄວາມທັນເວລາ, ຄ່າທຳນຽມ ແລະ ຄວາມພໍໃຈ ແຍກຕາມບໍລິການ ຫຼື ຕາມກະຊວງ",
        "Requests, timeliness, fees and satisfaction per service or per ministry",
    ),
    "sv_counter_note": (
        "ຕົວເລກຂອງທັງຫ້ອງການ: ບໍລິການບໍ່ໄດ້ນັບແຍກຕາມປ່ອງ",
        "The whole office's figures: services are not counted per counter",
    ),
    "sv_by": ("ແຍກຕາມ", "Broken down by"),
    "sv_by_service": ("ບໍລິການ", "Service"),
    "sv_by_ministry": ("ກະຊວງ", "Ministry"),
    "sv_chart_service": ("ບໍລິການທີ່ໄດ້ຮັບຄຳຮ້ອງຫຼາຍສຸດ", "Services with the most requests received"),
    "sv_chart_ministry": ("ກະຊວງທີ່ໄດ້ຮັບຄຳຮ້ອງຫຼາຍສຸດ", "Ministries with the most requests received"),
    "sv_to_table": ("ເບິ່ງທຸກຕົວເລກໃນຕາຕະລາງ", "See every figure in the table"),
    "sv_none": ("ບໍ່ມີຄຳຮ້ອງໃນໄລຍະນີ້", "No requests in this period"),
    "sv_table_service": ("ຕົວເລກຕາມບໍລິການ", "Figures per service"),
    "sv_table_ministry": ("ຕົວເລກຕາມກະຊວງ", "Figures per ministry"),
    "sv_col_received": ("ໄດ້ຮັບ", "Received"),
    "sv_col_ready": ("ສຳເລັດ", "Completed"),
    "sv_col_on_time_rate": ("ທັນກຳນົດ", "On time"),
    "sv_col_median_days": ("ມັດທະຍະຖານ (ວັນລັດຖະການ)", "Median (working days)"),
    "sv_col_p90_days": ("90% ສຳເລັດພາຍໃນ (ວັນລັດຖະການ)", "90% within (working days)"),
    "sv_col_gross": ("ຄ່າທຳນຽມລວມ", "Gross fees"),
    "sv_col_net": ("ຄ່າທຳນຽມສຸດທິ", "Net fees"),
    "sv_col_fee_off_catalog": ("ເກັບນອກລາຍການ", "Charged off the catalog"),
    "sv_col_fee_old_version": ("ເກັບຕາມລາຍການເກົ່າ", "Charged at an old version"),
    "sv_col_mean_rating": ("ຄະແນນສະເລ່ຍ (ຈາກ 5)", "Mean rating (of 5)"),
    "sv_col_response_rate": ("ອັດຕາໃຫ້ຄະແນນ", "Response rate"),
    "sv_col_checked": ("ຄຳຮ້ອງທີ່ກວດ", "Requests checked"),
    "sv_col_uniform_rate": ("ຖືກຕາມລາຍການ", "Uniform"),
    "sv_col_previous_off": ("ນອກລາຍການ (ໄລຍະກ່ອນ)", "Off the catalog (previous period)"),
    "sv_col_previous_old": ("ລາຍການເກົ່າ (ໄລຍະກ່ອນ)", "Old version (previous period)"),
    "sv_all": ("ລວມທັງໝົດ", "All"),
    "sv_columns_help": (
        "ສຳເລັດ: ຄຳຮ້ອງທີ່ພ້ອມໃຫ້ຮັບເທື່ອທຳອິດໃນໄລຍະນີ້; ທັນກຳນົດ: ສ່ວນທີ່ພ້ອມກ່ອນ ຫຼື ໃນວັນນັດຮັບ; "
        "ຄ່າທຳນຽມສຸດທິ: ຄ່າທຳນຽມລວມ ລົບສ່ວນທີ່ຍົກເລີກ ແລະ ສົ່ງຄືນ",
        "Completed: requests first ready in the period; on time: the share ready on or before "
        "the date promised; net fees: gross fees less what was voided and refunded",
    ),
    "sv_uniform": ("ກວດຄ່າທຳນຽມໃຫ້ເປັນເອກະພາບ", "Uniform-fee check"),
    "sv_uniform_rate": (
        "{rate} ຂອງຄຳຮ້ອງ ເກັບຕາມລາຍການຄ່າທຳນຽມປັດຈຸບັນ",
        "{rate} of requests charged the current catalog's fee",
    ),
    "sv_uniform_of": (
        "{catalog} ຈາກ {checked} ຄຳຮ້ອງທີ່ກວດ · ນອກລາຍການ {off} · ລາຍການເກົ່າ {old}",
        "{catalog} of {checked} requests checked · off the catalog {off} · at an old version {old}",
    ),
    "sv_uniform_help": (
        "ຄ່າທຳນຽມຂອງແຕ່ລະຄຳຮ້ອງ ທຽບກັບລາຍການທີ່ສູນກາງປະກາດໃຊ້ ໃນມື້ທີ່ຄຳຮ້ອງມາຮອດ",
        "Each request's fee against the catalog the centre had published when it arrived",
    ),
    "sv_strays": (
        "ບໍລິການທີ່ເກັບນອກລາຍການ ຫຼື ຕາມລາຍການເກົ່າ",
        "Services charged off the catalog or at an old version",
    ),
    "sv_no_strays": (
        "ທຸກຄຳຮ້ອງເກັບຕາມລາຍການຄ່າທຳນຽມປັດຈຸບັນ",
        "Every request was charged the current catalog's fee",
    ),
    "sv_bad_title": ("ຄຳຂໍບໍ່ຖືກຕ້ອງ", "Not a valid request"),
    "sv_bad_value": (
        "{name}={value} ບໍ່ແມ່ນທາງເລືອກຂອງໜ້ານີ້",
        "{name}={value} is not one of this page's choices",
    ),
    # the cash and revenue page
    "cash_title": ("ເງິນສົດ ແລະ ລາຍຮັບ", "Cash and revenue"),
    "cash_of": ("ເງິນສົດ ແລະ ລາຍຮັບ: {area}", "Cash and revenue: {area}"),
    "cash_help": (
        "ລາຍຮັບ, ການຍົກເລີກ ແລະ ການສົ່ງເງິນຄືນ, ແລະ ການນັບເງິນໃນລິ້ນຊັກ ແຍກຕາມຫ້ອງການ ຫຼື ປ່ອງ",
        "Revenue, voids and refunds, and drawer counts per office or per counter",
    ),
    "cash_chart_office": ("ຄ່າທຳນຽມສຸດທິ ຕາມຫ້ອງການ", "Net fees per office"),
    "cash_chart_counter": ("ຄ່າທຳນຽມສຸດທິ ຕາມປ່ອງບໍລິການ", "Net fees per counter"),
    "cash_places_office": ("ລາຍຮັບ ແລະ ເງິນສົດ ຕາມຫ້ອງການ", "Revenue and cash per office"),
    "cash_places_counter": ("ລາຍຮັບ ແລະ ເງິນສົດ ຕາມປ່ອງບໍລິການ", "Revenue and cash per counter"),
    "cash_col_payments": ("ການຊຳລະ", "Payments"),
    "cash_col_voids": ("ຍົກເລີກ", "Voids"),
    "cash_col_void_rate": ("ອັດຕາຍົກເລີກ", "Void rate"),
    "cash_col_refunds": ("ສົ່ງຄືນ", "Refunds"),
    "cash_col_refund_rate": ("ອັດຕາສົ່ງຄືນ", "Refund rate"),
    "cash_col_closed": ("ລິ້ນຊັກທີ່ປິດ", "Drawers closed"),
    "cash_col_differences": ("ນັບບໍ່ກົງ", "Drawers off"),
    "cash_col_difference_sum": ("ຜົນຕ່າງລວມ", "Difference in all"),
    "cash_col_largest_difference": ("ຜົນຕ່າງໃຫຍ່ສຸດ", "Largest difference"),
    "cash_col_approved": ("ມີຜູ້ອະນຸມັດ", "Approved"),
    "cash_col_marks": ("ຂໍ້ສັງເກດ", "Outlier"),
    "cash_clerks": ("ລາຍຮັບ ຕາມພະນັກງານ", "Revenue per clerk"),
    "cash_clerk": ("ພະນັກງານ", "Clerk"),
    "cash_clerks_office": (
        "ພະນັກງານທັງໝົດຂອງຫ້ອງການ: ຕົວເລກຕາມພະນັກງານ ນັບສຳລັບທັງຫ້ອງການ ບໍ່ແຍກຕາມປ່ອງ",
        "Every clerk of the office: figures per clerk are counted for the whole office, not "
        "per counter",
    ),
    "cash_no_clerks": (
        "ຕົວເລກຕາມພະນັກງານ ແລະ ຜູ້ອະນຸມັດ ມີໃຫ້ສະເພາະຫ້ອງການດຽວ: ເລືອກຫ້ອງການໃດໜຶ່ງເພື່ອເບິ່ງ",
        "Figures per clerk and per approver are given for one office only: choose an office "
        "to see them",
    ),
    "cash_approvers": ("ຜູ້ອະນຸມັດການປິດລິ້ນຊັກ", "Who approved drawer closes"),
    "cash_approver": ("ຜູ້ອະນຸມັດ", "Approver"),
    "cash_approved_closes": ("ລິ້ນຊັກທີ່ອະນຸມັດ", "Drawers approved"),
    "cash_no_approvers": ("ບໍ່ມີການອະນຸມັດໃນໄລຍະນີ້", "No drawer close was approved in this period"),
    "cash_rule": (
        "ໝາຍວ່າຜິດປົກກະຕິ: ອັດຕາຍົກເລີກ, ອັດຕາສົ່ງຄືນ ຫຼື ສ່ວນລິ້ນຊັກທີ່ນັບບໍ່ກົງ ສູງກວ່າສອງເທົ່າຂອງ "
        "{area}; ຫຼື ລິ້ນຊັກໜຶ່ງນັບຕ່າງ {limit} ຂຶ້ນໄປ",
        "Marked as an outlier: a void rate, a refund rate or a share of drawers off more than "
        "twice {area}'s, or one drawer off by {limit} or more",
    ),
    "cash_mark_void_rate": ("ຍົກເລີກຫຼາຍ: {rate} (ທັງໝົດ {scope})", "Many voids: {rate} (all: {scope})"),
    "cash_mark_refund_rate": (
        "ສົ່ງຄືນຫຼາຍ: {rate} (ທັງໝົດ {scope})",
        "Many refunds: {rate} (all: {scope})",
    ),
    "cash_mark_drawer_rate": (
        "ນັບບໍ່ກົງເລື້ອຍ: {rate} (ທັງໝົດ {scope})",
        "Drawers often off: {rate} (all: {scope})",
    ),
    "cash_mark_large": ("ລິ້ນຊັກນັບຕ່າງ {amount}", "A drawer off by {amount}"),
    "cash_normal": ("ປົກກະຕິ", "none"),
    "cash_marked": ("ແຖວທີ່ຖືກໝາຍວ່າຜິດປົກກະຕິ: {count}", "Rows marked as outliers: {count}"),
    "cash_none": (
        "ບໍ່ມີການຊຳລະ ຫຼື ການປິດລິ້ນຊັກໃນໄລຍະນີ້",
        "No payment or drawer close in this period",
    ),
    # a ministry's scope
    "ministry_only": (
        "ຕົວເລກໃນໜ້ານີ້ນັບແຕ່ບໍລິການຂອງ {ministry} ເທົ່ານັ້ນ",
        "The figures on this page count only the services of {ministry}",
    ),
    "not_per_service": (
        "ໜ້ານີ້ສະແດງຕົວເລກຂອງທຸກບໍລິການ ແລະ ຈຳກັດໃຫ້ແຕ່ບໍລິການຂອງກະຊວງທ່ານບໍ່ໄດ້: ທ່ານບໍ່ມີສິດເບິ່ງໜ້ານີ້ຂອງ {area}",
        "This page shows every service's figures and cannot be limited to your ministry's"
        " services: you may not see it for {area}",
    ),
    "syncs_not_per_service": (
        "ການຊິ້ງຂອງເຄົາເຕີບໍ່ໄດ້ນັບຕາມບໍລິການ: ບໍ່ສະແດງໃຫ້ຂອບເຂດຂອງກະຊວງ",
        "Counters' syncs are not counted per service: not shown for a ministry's scope",
    ),
    "catalog_version_head": ("ສະບັບລາຍການບໍລິການ", "Catalog version"),
    "version_newest": ("ສະບັບທີ {version} (ໃໝ່ລ່າສຸດ)", "v{version} (the newest)"),
    "version_older": (
        "ສະບັບທີ {version} (ເກົ່າກວ່າສະບັບທີ {newest})",
        "v{version} (older than v{newest})",
    ),
    "version_none": ("ຍັງບໍ່ມີຄຳຮ້ອງ", "no request yet"),
    # the accounts and the access log
    "accounts": ("ບັນຊີຜູ້ໃຊ້", "Accounts"),
    "accounts_denied": (
        "ມີແຕ່ຜູ້ບໍລິຫານລະບົບທີ່ມີຂອບເຂດທົ່ວປະເທດ ຈຶ່ງຈັດການບັນຊີ ແລະ ເບິ່ງບັນທຶກການເຂົ້າເຖິງໄດ້",
        "Only an admin whose scope is the nation manages accounts and reads the access log",
    ),
    "accounts_help": (
        "ທຸກບັນຊີຂອງສູນກາງ: ບຸກຄົນ ແລະ ໂທເຄັນຂອງເຄື່ອງ. ບັນຊີທີ່ຖືກຍົກເລີກຍັງຢູ່ໃນລາຍການ."
        " ໂທເຄັນຂອງເຄື່ອງສ້າງດ້ວຍຄຳສັ່ງ odsc-server user add --token ເທົ່ານັ້ນ.",
        "Every account of the centre: people and machines' tokens. A revoked account stays"
        " listed. Machines' tokens are made only with odsc-server user add --token.",
    ),
    "account_id": ("ເລກບັນຊີ", "Id"),
    "kind": ("ປະເພດ", "Kind"),
    "kind_person": ("ບຸກຄົນ", "Person"),
    "kind_token": ("ໂທເຄັນຂອງເຄື່ອງ", "Machine's token"),
    "role": ("ບົດບາດ", "Role"),
    "role_viewer": ("ຜູ້ເບິ່ງ", "Viewer"),
    "role_catalog_editor": ("ຜູ້ແກ້ໄຂລາຍການບໍລິການ", "Catalog editor"),
    "role_catalog_approver": ("ຜູ້ອະນຸມັດລາຍການບໍລິການ", "Catalog approver"),
    "role_admin": ("ຜູ້ບໍລິຫານລະບົບ", "Admin"),
    "scopes": ("ຂອບເຂດ", "Scopes"),
    "scope_ministry": ("ກະຊວງ: {name}", "Ministry: {name}"),
    "personal_data": ("ຂໍ້ມູນສ່ວນບຸກຄົນ", "Personal data"),
    "personal_by_name": ("ໄດ້ຮັບສິດ", "granted"),
    "personal_own_office": ("ສະເພາະຫ້ອງການຂອງຕົນ", "own office only"),
    "personal_none": ("ບໍ່ມີ", "no"),
    "made": ("ສ້າງເມື່ອ", "Made"),
    "latest_login": ("ເຂົ້າລະບົບຫຼ້າສຸດ", "Latest login"),
    "login_unknown": ("ບໍ່ຮູ້", "not known"),
    "latest_login_help": (
        "ເຂົ້າລະບົບຫຼ້າສຸດ: ຮູ້ໄດ້ສະເພາະເຊດຊັນທີ່ຍັງບໍ່ສິ້ນສຸດ (ອອກຈາກລະບົບແລ້ວ ຈະບໍ່ຮູ້ອີກ)",
        "Latest login: known only while its session has not ended (logging out forgets it)",
    ),
    "state_active": ("ໃຊ້ງານໄດ້", "active"),
    "state_revoked": ("ຖືກຍົກເລີກ {when}", "revoked {when}"),
    "revoke": ("ຍົກເລີກບັນຊີ", "Revoke"),
    "is_you": ("ບັນຊີຂອງທ່ານ: ຍົກເລີກເອງບໍ່ໄດ້", "Your account: you cannot revoke it"),
    "revoke_self": (
        "ທ່ານບໍ່ສາມາດຍົກເລີກບັນຊີຂອງຕົນເອງໄດ້: ໃຫ້ຜູ້ບໍລິຫານລະບົບຄົນອື່ນເຮັດ",
        "You cannot revoke your own account: ask another admin",
    ),
    "account_revoked": (
        "ຍົກເລີກບັນຊີ {name} ແລ້ວ ({when}): ລະຫັດຜ່ານ ຫຼື ໂທເຄັນຂອງບັນຊີນີ້ໃຊ້ບໍ່ໄດ້ອີກ",
        "{name} is revoked ({when}): its password or token no longer works",
    ),
    "account_already": (
        "ບັນຊີ {name} ຖືກຍົກເລີກແລ້ວກ່ອນໜ້ານີ້ ({when})",
        "{name} was already revoked ({when})",
    ),
    "account_n": ("ບັນຊີ {id}", "account {id}"),
    "revoke_confirm": ("ຍົກເລີກບັນຊີ {name} ບໍ?", "Revoke {name}?"),
    "revoke_confirm_help": (
        "ບັນຊີນີ້ຈະໃຊ້ບໍ່ໄດ້ທັນທີ ແລະ ທຸກເຊດຊັນຂອງມັນຈະສິ້ນສຸດ. ຍົກເລີກແລ້ວເອົາຄືນບໍ່ໄດ້: ຖ້າຕ້ອງການອີກ ໃຫ້ສ້າງບັນຊີໃໝ່ດ້ວຍຊື່ອື່ນ.",
        "The account stops working at once and each of its sessions ends. This cannot be"
        " undone: if it is needed again, make a new account under another name.",
    ),
    "revoke_yes": ("ແມ່ນແລ້ວ, ຍົກເລີກບັນຊີນີ້", "Yes, revoke it"),
    "revoke_no": ("ບໍ່, ກັບຄືນ", "No, go back"),
    "access_log": ("ບັນທຶກການເຂົ້າເຖິງ", "Access log"),
    "access_log_of": ("ບັນທຶກການເຂົ້າເຖິງ: {name}", "Access log: {name}"),
    "access_log_help": (
        "ທຸກຄັ້ງທີ່ມີຜູ້ອ່ານຊື່, ເບີໂທ ຫຼື ເລກບັດຂອງປະຊາຊົນ: ໃຜ, ເມື່ອໃດ, ອ່ານຫຍັງ ແລະ ຈັກລາຍການ."
        " ໃໝ່ສຸດກ່ອນ. ໄຟລ໌ທີ່ດາວໂຫຼດມີທຸກແຖວ ບໍ່ແມ່ນສະເພາະໜ້ານີ້.",
        "Every read of citizens' names, phones or ID numbers: who, when, what and how many"
        " records; newest first. The files hold every row, not only this page's.",
    ),
    "log_person": ("ບຸກຄົນ", "Person"),
    "all_people": ("ທຸກຄົນ", "Everyone"),
    "log_when": ("ເວລາ", "When"),
    "log_action": ("ອ່ານຫຍັງ", "What was read"),
    "log_target": ("ຂອງບ່ອນໃດ", "Which"),
    "log_records": ("ຈຳນວນລາຍການ", "Records"),
    "no_log": ("ຍັງບໍ່ມີການອ່ານຂໍ້ມູນສ່ວນບຸກຄົນ", "No read of personal data is logged"),
    "new_person": ("ເພີ່ມບຸກຄົນ", "Add a person"),
    "new_person_help": (
        "ບັນຊີຂອງບຸກຄົນທີ່ເຂົ້າໜ້າເວັບເຫຼົ່ານີ້ດ້ວຍລະຫັດຜ່ານ (ຄືກັບຄຳສັ່ງ odsc-server user add)."
        " ໂທເຄັນຂອງເຄື່ອງສ້າງດ້ວຍຄຳສັ່ງນັ້ນເທົ່ານັ້ນ.",
        "A person's account, to log in to these pages with a password (as odsc-server user add"
        " makes it). Machines' tokens are made by that command only.",
    ),
    "scopes_help": (
        "ຂຽນ nation, province:LA-VT, district:VT-01, ministry:MOIC ຫຼື office:VTE-SST;"
        " ຫຼາຍຂອບເຂດ ໃຫ້ແຍກດ້ວຍຍະຫວ່າງ",
        "Write nation, province:LA-VT, district:VT-01, ministry:MOIC or office:VTE-SST;"
        " several separated by spaces",
    ),
    "personal_data_grant": (
        "ອ່ານຊື່, ເບີໂທ ແລະ ເລກບັດຂອງປະຊາຊົນ ພາຍໃນຂອບເຂດຂອງຕົນ (ທຸກຄັ້ງຖືກບັນທຶກ)",
        "Reads citizens' names, phones and ID numbers within its scopes (every read logged)",
    ),
    "password_again": ("ລະຫັດຜ່ານອີກຄັ້ງ", "Password again"),
    "password_help": (
        "ຢ່າງໜ້ອຍ 10 ຕົວອັກສອນ, ບໍ່ແມ່ນຊື່ຂອງບັນຊີ ແລະ ບໍ່ແມ່ນລະຫັດຜ່ານທີ່ໃຊ້ກັນທົ່ວໄປ",
        "At least 10 characters, not the account's name and not a common password",
    ),
    "make_account": ("ສ້າງບັນຊີ", "Make the account"),
    # changing one's own password (password_page.py)
    "change_password": ("ປ່ຽນລະຫັດຜ່ານ", "Change password"),
    "change_password_help": (
        "ພິມລະຫັດຜ່ານປັດຈຸບັນ ແລ້ວລະຫັດຜ່ານໃໝ່ສອງຄັ້ງ. ເມື່ອປ່ຽນແລ້ວ ການເຂົ້າລະບົບອື່ນໆຂອງບັນຊີນີ້ຈະຖືກປິດ.",
        "Type the current password, then the new one twice. Once it is changed, every other"
        " session of this account ends.",
    ),
    "password_current": ("ລະຫັດຜ່ານປັດຈຸບັນ", "Current password"),
    "password_new": ("ລະຫັດຜ່ານໃໝ່", "New password"),
    "password_changed": (
        "ປ່ຽນລະຫັດຜ່ານແລ້ວ. ເທື່ອໜ້າໃຫ້ເຂົ້າລະບົບດ້ວຍລະຫັດຜ່ານໃໝ່.",
        "The password is changed. Log in with the new one from now on.",
    ),
    "password_not_changed": (
        "ລະຫັດຜ່ານບໍ່ໄດ້ຖືກປ່ຽນ: {why}",
        "The password was not changed: {why}",
    ),
    "passwords_differ_short": (
        "ລະຫັດຜ່ານໃໝ່ທັງສອງບໍ່ຄືກັນ",
        "the two new passwords differ",
    ),
    "password_current_wrong": (
        "ລະຫັດຜ່ານບໍ່ໄດ້ຖືກປ່ຽນ: ລະຫັດຜ່ານປັດຈຸບັນບໍ່ຖືກຕ້ອງ",
        "The password was not changed: the current password is wrong",
    ),
    "account_made": ("ສ້າງບັນຊີ {name} ແລ້ວ", "Account {name} made"),
    "account_not_made": ("ບັນຊີບໍ່ໄດ້ຖືກສ້າງ: {why}", "The account was not made: {why}"),
    "passwords_differ": (
        "ບັນຊີບໍ່ໄດ້ຖືກສ້າງ: ລະຫັດຜ່ານທັງສອງບໍ່ຄືກັນ",
        "The account was not made: the two passwords differ",
    ),
    # the fee catalog
    # the fee catalog's pages (catalog_pages.py)
    "cat_title": ("ລາຍການຄ່າທຳນຽມ", "Fee catalog"),
    "cat_intro": (
        "ທຸກສະບັບທີ່ເຜີຍແຜ່ແລ້ວ ພ້ອມຜູ້ຮ່າງ ແລະ ຜູ້ອະນຸມັດ. ສະບັບໃໝ່ຮ່າງໂດຍຜູ້ແກ້ໄຂ, ອະນຸມັດໂດຍອີກຄົນໜຶ່ງ,"
        " ແລ້ວເຜີຍແຜ່ພ້ອມວັນທີມີຜົນ: ປ່ອງບໍລິການໄດ້ຮັບໃນການຊິງຄັ້ງຕໍ່ໄປ ແລະ ໃຊ້ກັບຄຳຮ້ອງແຕ່ວັນນັ້ນ.",
        "Every published version with who drafted and who approved it. A new version is drafted"
        " by an editor, approved by another person, then published with an effective date:"
        " counters get it at their next sync and use it for requests from that day.",
    ),
    "cat_denied": (
        "ໜ້ານີ້ສຳລັບຜູ້ແກ້ໄຂ, ຜູ້ອະນຸມັດ ລາຍການຄ່າທຳນຽມ ແລະ ຜູ້ບໍລິຫານລະບົບເທົ່ານັ້ນ",
        "These pages are for catalog editors, catalog approvers and admins only",
    ),
    "cat_versions": ("ສະບັບທີ່ເຜີຍແຜ່ແລ້ວ", "Published versions"),
    "cat_drafts": ("ຮ່າງ", "Drafts"),
    "cat_no_drafts": ("ບໍ່ມີຮ່າງທີ່ຍັງເປີດຢູ່", "No open drafts"),
    "cat_version": ("ສະບັບ", "Version"),
    "cat_version_n": ("ສະບັບທີ {version}", "Version {version}"),
    "cat_label": ("ຊື່ສະບັບ", "Label"),
    "cat_published_at": ("ເຜີຍແຜ່ເມື່ອ", "Published"),
    "cat_effective": ("ມີຜົນແຕ່ວັນທີ", "In effect from"),
    "cat_at_once": ("ທັນທີ", "at once"),
    "cat_drafted_by": ("ຮ່າງໂດຍ", "Drafted by"),
    "cat_approved_by": ("ອະນຸມັດໂດຍ", "Approved by"),
    "cat_before_governance": ("(ກ່ອນມີການອະນຸມັດ)", "(before approvals)"),
    "cat_now": ("ກຳລັງໃຊ້", "in effect"),
    "cat_held": ("ລໍຖ້າວັນທີ", "held until its date"),
    "cat_state_col": ("ສະຖານະ", "State"),
    "cat_state_draft": ("ຮ່າງ", "draft"),
    "cat_state_submitted": ("ສົ່ງໃຫ້ອະນຸມັດແລ້ວ", "submitted"),
    "cat_state_returned": ("ສົ່ງຄືນ", "returned"),
    "cat_state_approved": ("ອະນຸມັດແລ້ວ", "approved"),
    "cat_state_published": ("ເຜີຍແຜ່ແລ້ວ", "published"),
    "cat_draft_n": ("ຮ່າງທີ {id}", "Draft {id}"),
    "cat_new_draft": ("ເລີ່ມຮ່າງໃໝ່", "Start a new draft"),
    "cat_from_version": ("ຈາກສະບັບທີ {version}", "from version {version}"),
    "cat_reason_was": ("ເຫດຜົນທີ່ສົ່ງຄືນ: {reason}", "Returned because: {reason}"),
    "cat_decided_by": ("ຕັດສິນໂດຍ", "Decided by"),
    "cat_difference": ("ຄວາມແຕກຕ່າງຈາກສະບັບທີ່ເຜີຍແຜ່", "Difference from the published version"),
    "cat_no_difference": ("ບໍ່ມີຫຍັງປ່ຽນແປງ", "Nothing changed"),
    "cat_added": ("ເພີ່ມ", "Added"),
    "cat_removed": ("ລຶບອອກ", "Removed"),
    "cat_changed": ("ປ່ຽນແປງ", "Changed"),
    "cat_label_change": ("ຊື່ສະບັບ: {old} → {new}", "Label: {old} → {new}"),
    "cat_field_ministry": ("ກະຊວງ", "ministry"),
    "cat_field_name_lo": ("ຊື່ພາສາລາວ", "Lao name"),
    "cat_field_name_en": ("ຊື່ພາສາອັງກິດ", "English name"),
    "cat_field_fee": ("ຄ່າທຳນຽມ", "fee"),
    "cat_field_days": ("ມື້ດຳເນີນການ", "processing days"),
    "cat_field_documents": ("ເອກະສານ", "documents"),
    "cat_code": ("ລະຫັດ", "Code"),
    "cat_ministry": ("ກະຊວງ", "Ministry"),
    "cat_name_lo": ("ຊື່ພາສາລາວ", "Lao name"),
    "cat_name_en": ("ຊື່ພາສາອັງກິດ", "English name"),
    "cat_fee": ("ຄ່າທຳນຽມ (ກີບ)", "Fee (kip)"),
    "cat_days": ("ມື້", "Days"),
    "cat_documents": ("ເອກະສານ (ລະຫັດ)", "Documents (codes)"),
    "cat_remove": ("ລຶບ", "Remove"),
    "cat_add_row": ("ເພີ່ມບໍລິການ", "Add a service"),
    "cat_edit": ("ແກ້ໄຂຮ່າງ", "Edit the draft"),
    "cat_edit_help": (
        "ກະຊວງ ແລະ ເອກະສານ ຂອງບໍລິການ ແມ່ນລະຫັດຈາກຕາຕະລາງລຸ່ມນີ້; ເອກະສານຫຼາຍອັນ ແຍກດ້ວຍຍະຫວ່າງ."
        " ກະຊວງ ຫຼື ເອກະສານໃໝ່ ເພີ່ມໃນແຖວສຸດທ້າຍຂອງຕາຕະລາງຂອງມັນ. ລະຫັດທີ່ບັນທຶກແລ້ວ ປ່ຽນບໍ່ໄດ້:"
        " ລຶບແຖວນັ້ນ ແລ້ວເພີ່ມແຖວໃໝ່.",
        "A service's ministry and documents are codes from the tables below; separate documents"
        " by spaces. A new ministry or document is added in the last row of its table. A code"
        " once saved does not change: remove its row and add a new one.",
    ),
    "cat_ministries": ("ລາຍຊື່ກະຊວງ", "Ministries"),
    "cat_document_list": ("ລາຍຊື່ເອກະສານ", "Documents"),
    "cat_one_ministry": ("ກະຊວງ {code}", "Ministry {code}"),
    "cat_one_document": ("ເອກະສານ {code}", "Document {code}"),
    "cat_add_ministry": ("ເພີ່ມກະຊວງ", "Add a ministry"),
    "cat_add_document": ("ເພີ່ມເອກະສານ", "Add a document"),
    "cat_ministry_added": ("ເພີ່ມກະຊວງ: {code} · {name}", "Ministry added: {code} · {name}"),
    "cat_ministry_removed": ("ລຶບກະຊວງອອກ: {code} · {name}", "Ministry removed: {code} · {name}"),
    "cat_ministry_changed": (
        "ປ່ຽນແປງກະຊວງ: {code} · {field}: {old} → {new}",
        "Ministry changed: {code} · {field}: {old} → {new}",
    ),
    "cat_document_added": ("ເພີ່ມເອກະສານ: {code} · {name}", "Document added: {code} · {name}"),
    "cat_document_removed": (
        "ລຶບເອກະສານອອກ: {code} · {name}",
        "Document removed: {code} · {name}",
    ),
    "cat_document_changed": (
        "ປ່ຽນແປງເອກະສານ: {code} · {field}: {old} → {new}",
        "Document changed: {code} · {field}: {old} → {new}",
    ),
    "cat_save": ("ບັນທຶກຮ່າງ", "Save the draft"),
    "cat_submit": ("ສົ່ງໃຫ້ອະນຸມັດ", "Submit for approval"),
    "cat_approve": ("ອະນຸມັດ", "Approve"),
    "cat_return": ("ສົ່ງຄືນພ້ອມເຫດຜົນ", "Return with a reason"),
    "cat_reason": ("ເຫດຜົນ", "Reason"),
    "cat_publish": ("ເຜີຍແຜ່", "Publish"),
    "cat_publish_help": (
        "ວັນທີມີຜົນ: ມື້ນີ້ ຫຼື ຫຼັງຈາກນີ້ (ເວລາວຽງຈັນ), ຂຽນເປັນ {today}",
        "Effective date: today or later (Vientiane time), written like {today}",
    ),
    "cat_services": ("ບໍລິການ", "Services"),
    "cat_back": ("ກັບໄປລາຍການຄ່າທຳນຽມ", "Back to the fee catalog"),
    "cat_form_too_long": (
        "ແບບຟອມຍາວເກີນໄປສຳລັບລາຍການຄ່າທຳນຽມ",
        "The form is too long for a fee catalog",
    ),
    "cat_refused": ("ບໍ່ສຳເລັດ: {why}", "Refused: {why}"),
    "cat_role": (
        "ບົດບາດຂອງທ່ານບໍ່ອະນຸຍາດໃຫ້ເຮັດສິ່ງນີ້",
        "Your role does not allow this",
    ),
    "cat_own_draft": (
        "ທ່ານບໍ່ສາມາດອະນຸມັດ ຫຼື ສົ່ງຄືນຮ່າງຂອງທ່ານເອງ: ຕ້ອງແມ່ນອີກຄົນໜຶ່ງ",
        "You cannot approve or return your own draft: another person must",
    ),
    "cat_not_drafter": (
        "ຮ່າງນີ້ແກ້ໄຂໄດ້ໂດຍຜູ້ຮ່າງເທົ່ານັ້ນ",
        "Only the person who drafted it may change this draft",
    ),
    "cat_state": (
        "ຮ່າງນີ້ບໍ່ຢູ່ໃນສະຖານະທີ່ເຮັດສິ່ງນີ້ໄດ້ (ອາດມີຄົນອື່ນປ່ຽນແລ້ວ): ກະລຸນາໂຫຼດໜ້າຄືນໃໝ່",
        "This draft is not in a state for this (someone may have changed it): reload the page",
    ),
    "cat_reason_needed": (
        "ການສົ່ງຄືນຕ້ອງມີເຫດຜົນ (1 ຫາ 1000 ຕົວອັກສອນ)",
        "A return needs a reason (1 to 1000 characters)",
    ),
    "cat_effective_date": (
        "ວັນທີມີຜົນຕ້ອງຂຽນເປັນ ປປປປ-ດດ-ວວ",
        "The effective date must be written YYYY-MM-DD",
    ),
    "cat_base_moved": (
        "ມີສະບັບໃໝ່ເຜີຍແຜ່ຫຼັງຈາກຮ່າງນີ້ເລີ່ມ: ກະລຸນາເລີ່ມຮ່າງໃໝ່ຈາກສະບັບລ່າສຸດ",
        "A newer version was published after this draft began: start a new draft from it",
    ),
    "cat_no_base": (
        "ຍັງບໍ່ມີລາຍການຄ່າທຳນຽມເຜີຍແຜ່: ສະບັບທຳອິດເຜີຍແຜ່ດ້ວຍຄຳສັ່ງ odsc-server catalog publish",
        "No catalog is published yet: the first is published with odsc-server catalog publish",
    ),
    "cat_effective_past": (
        "ວັນທີມີຜົນຕ້ອງແມ່ນມື້ນີ້ ຫຼື ຫຼັງຈາກນີ້",
        "The effective date must be today or later",
    ),
    "cat_effective_order": (
        "ວັນທີມີຜົນຕ້ອງບໍ່ກ່ອນວັນທີຂອງສະບັບທີ່ເຜີຍແຜ່ແລ້ວ",
        "The effective date must not be before that of a version already published",
    ),
    # the committee's monthly report
    "report_link": (
        "ບົດລາຍງານປະຈຳເດືອນສຳລັບຄະນະກຳມະການ (PDF): {month}",
        "Monthly report for the committee (PDF): {month}",
    ),
    "report_refused": ("ບໍ່ມີບົດລາຍງານນີ້", "No such report"),
    "report_bad_month": (
        "ບົດລາຍງານປະຈຳເດືອນ ຕ້ອງການເດືອນດຽວ ຂຽນເປັນ 2026-11, ບໍ່ແມ່ນ “{text}”",
        "The monthly report is of one month, written 2026-11, not “{text}”",
    ),
    "report_counter": (
        "ບົດລາຍງານປະຈຳເດືອນ ແມ່ນສຳລັບທົ່ວປະເທດ, ແຂວງ, ເມືອງ ຫຼື ຫ້ອງການ: ກະລຸນາເລືອກຫ້ອງການຂອງປ່ອງນີ້",
        "The monthly report is of the nation, a province, a district or an office: "
        "ask for this counter's office",
    ),
    # The citizens' pages (public.py): their frame, and the refusal every one of them shares.
    "pub_site": ("ສູນບໍລິການປະຕູດຽວ", "One-Door Service Centers"),
    "pub_nav_fees": ("ຄ່າທຳນຽມ", "Fees"),
    "pub_nav_verify": ("ກວດໃບຮັບເງິນ", "Check a receipt"),
    "pub_nav_status": ("ຕິດຕາມຄຳຮ້ອງ", "Track a request"),
    "pub_refused_title": ("ບໍ່ສາມາດສະແດງໄດ້", "Cannot be shown"),
    "pub_too_many": (
        "ມີການຮ້ອງຂໍຈາກທີ່ຢູ່ນີ້ຫຼາຍເກີນໄປ: ກະລຸນາລໍຖ້າ {seconds} ວິນາທີ ແລ້ວລອງໃໝ່",
        "Too many requests from this address: wait {seconds} seconds and try again",
    ),
    # -- the fee catalog, public: from here --
    "pub_fees_title": ("ຄ່າທຳນຽມບໍລິການ", "Service fees"),
    "pub_fees_intro": (
        "ຄ່າທຳນຽມ, ເອກະສານທີ່ຕ້ອງນຳມາ ແລະ ມື້ດຳເນີນການ ແມ່ນຄືກັນທຸກສູນບໍລິການປະຕູດຽວ",
        "Fees, the documents to bring and the processing days are the same at every One-Door"
        " Service Center",
    ),
    "pub_version_line": (
        "ສະບັບທີ {version}, ມີຜົນແຕ່ວັນທີ {day}",
        "Version {version}, in effect from {day}",
    ),
    "pub_next_version": (
        "ສະບັບທີ {version} ຈະມີຜົນແຕ່ວັນທີ {day}",
        "Version {version} takes effect on {day}",
    ),
    "pub_fee_becomes": (
        "ແຕ່ວັນທີ {day} ຄ່າທຳນຽມຈະເປັນ {fee}",
        "From {day} the fee becomes {fee}",
    ),
    "pub_next_added": ("ບໍລິການໃໝ່ແຕ່ວັນທີ {day}", "New services from {day}"),
    "pub_next_removed": ("ບໍລິການທີ່ຈະຍົກເລີກແຕ່ວັນທີ {day}", "Services ending on {day}"),
    "pub_no_catalog": (
        "ຍັງບໍ່ມີລາຍການຄ່າທຳນຽມທີ່ເຜີຍແຜ່ເທື່ອ",
        "No fee catalog has been published yet",
    ),
    "pub_search": ("ຊອກຫາບໍລິການ", "Find a service"),
    "pub_search_help": (
        "ຊື່ບໍລິການ ຫຼື ກະຊວງ ເປັນພາສາລາວ ຫຼື ອັງກິດ, ຫຼື ລະຫັດ",
        "A service's or ministry's name in Lao or English, or its code",
    ),
    "pub_search_button": ("ຊອກຫາ", "Search"),
    "pub_found": (
        "ພົບ {found} ບໍລິການ ຈາກ {total} ສຳລັບ “{query}”",
        "{found} of {total} services match “{query}”",
    ),
    "pub_found_none": (
        "ບໍ່ພົບບໍລິການໃດສຳລັບ “{query}”",
        "No service matches “{query}”",
    ),
    "pub_show_all": ("ສະແດງທຸກບໍລິການ", "Show every service"),
    "pub_service": ("ບໍລິການ", "Service"),
    "pub_fee": ("ຄ່າທຳນຽມ", "Fee"),
    "pub_fee_kip": ("ຄ່າທຳນຽມ (ກີບ)", "Fee (kip)"),
    "pub_days": ("ມື້ດຳເນີນການ", "Processing days"),
    "pub_days_value": ("{days} ມື້ລັດຖະການ", "{days} working days"),
    "pub_days_one": ("{days} ມື້ລັດຖະການ", "{days} working day"),
    "pub_days_none": ("ພາຍໃນມື້ດຽວກັນ", "the same day"),
    "pub_documents": ("ເອກະສານທີ່ຕ້ອງນຳມາ", "Documents to bring"),
    "pub_no_documents": ("ບໍ່ຕ້ອງມີເອກະສານ", "No documents needed"),
    "pub_legal_basis": ("ພື້ນຖານທາງກົດໝາຍ", "Legal basis"),
    "pub_open_data": ("ຂໍ້ມູນເປີດ", "Open data"),
    "pub_open_data_help": (
        "ລາຍການຄ່າທຳນຽມທີ່ມີຜົນຢູ່ ເປັນໄຟລ໌ JSON ແລະ CSV ທີ່ທີ່ຢູ່ຄົງທີ່",
        "The catalog in effect as JSON and CSV at stable addresses",
    ),
    "pub_poster": ("ໂປສເຕີສຳລັບຕິດຝາ", "Poster for the wall"),
    "pub_poster_office": ("ລະຫັດຫ້ອງການ (ເຊັ່ນ VTE-SST)", "Office code (such as VTE-SST)"),
    "pub_poster_size": ("ຂະໜາດເຈ້ຍ", "Paper size"),
    "pub_poster_button": ("ເອົາໂປສເຕີ (PDF)", "Get the poster (PDF)"),
    "pub_poster_title": ("ຄ່າທຳນຽມບໍລິການ", "Service fees"),
    "pub_poster_scan": (
        "ສະແກນເພື່ອເບິ່ງຄ່າທຳນຽມ ແລະ ເອກະສານທີ່ຕ້ອງນຳມາ",
        "Scan to see the fees and the documents to bring",
    ),
    "pub_bad_query": (
        "ຄຳຊອກຫາຍາວເກີນ {most} ຕົວອັກສອນ ຫຼື ມີຕົວອັກສອນຄວບຄຸມ",
        "A search is at most {most} characters, with no control characters",
    ),
    "pub_bad_size": (
        "ໂປສເຕີມີຂະໜາດ a4 ຫຼື a3 ເທົ່ານັ້ນ, ບໍ່ແມ່ນ “{text}”",
        "A poster is a4 or a3, not “{text}”",
    ),
    "pub_no_office": (
        "ບໍ່ພົບຫ້ອງການທີ່ມີລະຫັດ “{code}” ຢູ່ສູນກາງນີ້",
        "No office with the code “{code}” is known at this centre",
    ),
    "pub_no_such_file": ("ບໍ່ມີໄຟລ໌ນີ້", "There is no such file"),
    "pub_no_version": (
        "ບໍ່ມີລາຍການຄ່າທຳນຽມສະບັບທີ {version}",
        "There is no catalog version {version}",
    ),
    # the catalog editor's optional legal basis of a fee (sync/server/web/catalog_pages.py)
    "cat_field_legal_basis_lo": ("ພື້ນຖານທາງກົດໝາຍ (ລາວ)", "legal basis (Lao)"),
    "cat_field_legal_basis_en": ("ພື້ນຖານທາງກົດໝາຍ (ອັງກິດ)", "legal basis (English)"),
    # -- the fee catalog, public: to here --
    # -- a receipt's check: from here --
    "pub_verify_title": ("ກວດໃບຮັບເງິນ", "Check a receipt"),
    "pub_verify_intro": (
        "ສະແກນລະຫັດ QR ຢູ່ໃບຮັບເງິນດ້ວຍກ້ອງຂອງໂທລະສັບ; ຫຼື ວາງສິ່ງທີ່ແອັບສະແກນ QR ສະແດງ"
        " (ລິ້ງ ຫຼື ລະຫັດທີ່ຂຶ້ນຕົ້ນດ້ວຍ ODSC1:).",
        "Scan the QR code on the receipt with a phone's camera; or paste what a QR scanner shows"
        " (a link, or a code that starts ODSC1:).",
    ),
    "pub_verify_code_label": ("ລິ້ງ ຫຼື ລະຫັດຂອງ QR", "The QR's link or code"),
    "pub_verify_code_button": ("ກວດລະຫັດ", "Check the code"),
    "pub_verify_empty": (
        "ກະລຸນາວາງລິ້ງ ຫຼື ລະຫັດຂອງ QR, ຫຼື ພິມເລກໃບຮັບເງິນ ແລະ ຈຳນວນເງິນ",
        "Paste the QR's link or code, or type the receipt number and amount",
    ),
    "pub_verify_typed_heading": (
        "ຫຼື ພິມເລກໃບຮັບເງິນ ແລະ ຈຳນວນເງິນ",
        "Or type the receipt number and amount",
    ),
    "pub_verify_typed_note": (
        "ເລກທີ່ພິມເອງບໍ່ມີລາຍເຊັນ: ຄຳຕອບບອກພຽງແຕ່ສິ່ງທີ່ສູນກາງໄດ້ຮັບແລ້ວ. ເພື່ອພິສູດວ່າໃບຮັບເງິນແທ້, ໃຫ້ສະແກນລະຫັດ QR ຂອງມັນ.",
        "Typed numbers carry no signature: the answer says only what the centre has received. To"
        " prove a receipt genuine, scan its QR code.",
    ),
    "pub_verify_receipt": ("ເລກໃບຮັບເງິນ", "Receipt number"),
    "pub_verify_receipt_hint": ("ເຊັ່ນ VTE-SST-1-2026-000123", "e.g. VTE-SST-1-2026-000123"),
    "pub_verify_amount_label": ("ຈຳນວນເງິນ (ກີບ)", "Amount (kip)"),
    "pub_verify_typed_button": ("ຊອກຫາ", "Look it up"),
    "pub_verify_bad_receipt": (
        "ເລກໃບຮັບເງິນມີແຕ່ຕົວອັກສອນລາຕິນ, ຕົວເລກ ແລະ ເຄື່ອງໝາຍ -, ເຊັ່ນ VTE-SST-1-2026-000123",
        "A receipt number holds only letters, digits and -, e.g. VTE-SST-1-2026-000123",
    ),
    "pub_verify_bad_amount": (
        "ຈຳນວນເງິນຕ້ອງເປັນຕົວເລກກີບທີ່ຫຼາຍກວ່າ 0, ເຊັ່ນ 150,000",
        "The amount must be a number of kip above 0, e.g. 150,000",
    ),
    "pub_verify_genuine": (
        "ແທ້: ລົງລາຍເຊັນໂດຍປ່ອງບໍລິການ {counter} ຂອງ {office}",
        "Genuine: signed by counter {counter} of {office}",
    ),
    "pub_verify_as_printed": (
        "ເລກໃບຮັບເງິນ, ຈຳນວນເງິນ ແລະ ວັນທີ ລຸ່ມນີ້ ຕ້ອງກົງກັບທີ່ພິມຢູ່ໃບຮັບເງິນຂອງທ່ານ.",
        "The receipt number, amount and date below must be as printed on your receipt.",
    ),
    "pub_verify_found": (
        "ພົບຢູ່ສູນກາງ (ບໍ່ໄດ້ກວດລາຍເຊັນ)",
        "Found at the centre (no signature checked)",
    ),
    "pub_verify_amount": ("ຈຳນວນເງິນ", "Amount"),
    "pub_verify_date": ("ວັນທີ ແລະ ເວລາ", "Date and time"),
    "pub_verify_place": ("ອອກໂດຍ", "Issued by"),
    "pub_verify_place_value": ("{office}, ປ່ອງບໍລິການ {counter}", "{office}, counter {counter}"),
    "pub_verify_standing": ("ຢູ່ສູນກາງ", "At the centre"),
    "pub_verify_unreported": (
        "ປ່ອງບໍລິການຍັງບໍ່ໄດ້ລາຍງານການຈ່າຍເງິນນີ້ໃຫ້ສູນກາງ. ລາຍເຊັນຢືນຢັນວ່າໃບຮັບເງິນແທ້;"
        " ກວດອີກຄັ້ງພາຍຫຼັງ ເພື່ອເບິ່ງວ່າມັນຍັງມີຜົນຢູ່ບໍ່.",
        "Not yet reported by the counter: the centre has not received this payment yet. The"
        " signature proves the receipt genuine; check again later to see that it stands.",
    ),
    "pub_verify_stands": (
        "ສູນກາງໄດ້ຮັບການຈ່າຍເງິນນີ້ແລ້ວ ແລະ ມັນຍັງມີຜົນ: ບໍ່ຖືກຍົກເລີກ, ບໍ່ມີການຄືນເງິນ.",
        "The centre holds this payment and it stands: not voided, nothing refunded.",
    ),
    "pub_verify_voided": (
        "ຖືກຍົກເລີກເມື່ອ {when}: ໃບຮັບເງິນນີ້ບໍ່ມີຜົນແລ້ວ.",
        "Voided on {when}: this receipt no longer counts.",
    ),
    "pub_verify_refunded": ("ຄືນເງິນ {amount} ເມື່ອ {when}.", "{amount} refunded on {when}."),
    "pub_verify_differs": (
        "ສູນກາງມີໃບຮັບເງິນເລກນີ້ ແຕ່ຂໍ້ມູນບໍ່ກົງກັນ: ກະລຸນາສອບຖາມຫ້ອງການ.",
        "The centre holds this receipt number with other details: ask the office.",
    ),
    "pub_verify_not_genuine_title": ("ບໍ່ແທ້", "Not genuine"),
    "pub_verify_not_genuine": (
        "ລະຫັດນີ້ບໍ່ໄດ້ລົງລາຍເຊັນໂດຍປ່ອງບໍລິການໃດຂອງສູນກາງ, ຫຼື ມັນຖືກແກ້ໄຂ.",
        "No counter of the centre signed this code, or it was changed.",
    ),
    "pub_verify_not_found_title": ("ບໍ່ພົບ", "Not found"),
    "pub_verify_not_found": (
        "ສູນກາງບໍ່ມີການຈ່າຍເງິນທີ່ມີເລກໃບຮັບເງິນ ແລະ ຈຳນວນເງິນນີ້. ໃບຮັບເງິນທີ່ພິມຕອນບໍ່ມີອິນເຕີເນັດ"
        " ຈະປາກົດຢູ່ນີ້ຫຼັງຈາກປ່ອງບໍລິການສົ່ງຂໍ້ມູນ; ລະຫັດ QR ຂອງມັນກວດໄດ້ທັນທີ.",
        "The centre holds no payment with this receipt number and amount. A receipt printed"
        " offline appears here once its counter syncs; its QR code can be checked at once.",
    ),
    "pub_verify_too_many": (
        "ກວດທີ່ບໍ່ພົບຫຍັງຫຼາຍເທື່ອເກີນໄປຈາກທີ່ຢູ່ນີ້: ກະລຸນາລໍຖ້າ {seconds} ວິນາທີ ແລ້ວລອງໃໝ່",
        "Too many checks that found nothing from this address: wait {seconds} seconds and try"
        " again",
    ),
    "pub_verify_again": ("ກວດໃບຮັບເງິນອື່ນ", "Check another receipt"),
    # -- a receipt's check: to here --
    # -- a request's status and feedback: from here --
    "pub_status_title": ("ຕິດຕາມຄຳຮ້ອງ", "Track a request"),
    "pub_status_intro": (
        "ສະແກນ QR ຢູ່ໃບນັດຮັບຜົນ, ຫຼື ພິມເລກຕິດຕາມ ແລະ 4 ຕົວເລກສຸດທ້າຍຂອງເບີໂທ ທີ່ທ່ານໃຫ້ໄວ້ຢູ່ປ່ອງບໍລິການ",
        "Scan the QR on your appointment slip, or type the tracking number and the last 4 digits "
        "of the phone you gave at the counter",
    ),
    "pub_status_tracking": ("ເລກຕິດຕາມ", "Tracking number"),
    "pub_status_tracking_hint": ("ຕົວຢ່າງ: VTE-SST-1-261204-0001", "e.g. VTE-SST-1-261204-0001"),
    "pub_status_digits": ("4 ຕົວເລກສຸດທ້າຍຂອງເບີໂທ", "Last 4 digits of your phone"),
    "pub_status_look": ("ເບິ່ງສະຖານະ", "Show the status"),
    "pub_status_no_phone": (
        "ຖ້າທ່ານບໍ່ໄດ້ໃຫ້ເບີໂທ, ໃຫ້ສະແກນ QR ຢູ່ໃບນັດຮັບຜົນ",
        "If you gave no phone number, scan the QR on your slip",
    ),
    "pub_status_bad_tracking": (
        "ເລກຕິດຕາມບໍ່ຖືກຮູບແບບ: ພິມຕາມທີ່ຢູ່ໃນໃບນັດຮັບຜົນ",
        "That is not a tracking number: type it as printed on your slip",
    ),
    "pub_status_bad_digits": (
        "ກະລຸນາພິມ 4 ຕົວເລກສຸດທ້າຍຂອງເບີໂທ",
        "Type the last 4 digits of your phone number",
    ),
    "pub_status_not_found": (
        "ບໍ່ພົບຄຳຮ້ອງທີ່ກົງກັບເລກຕິດຕາມ ແລະ ເບີໂທນີ້. ກວດເບິ່ງແລ້ວລອງໃໝ່, ຫຼື ສະແກນ QR ຢູ່ໃບນັດ",
        "No request matches this tracking number and these digits. Check them and try again, "
        "or scan the QR on your slip",
    ),
    "pub_status_wait": (
        "ລອງຫຼາຍເທື່ອເກີນໄປ: ກະລຸນາລໍຖ້າ {minutes} ນາທີ ແລ້ວລອງໃໝ່, ຫຼື ສະແກນ QR ຢູ່ໃບນັດ",
        "Too many tries: wait {minutes} minutes and try again, or scan the QR on your slip",
    ),
    "pub_slip_not_genuine": (
        "ລະຫັດນີ້ບໍ່ແມ່ນລະຫັດໃບນັດທີ່ແທ້ຈິງ: ກະລຸນາສະແກນ QR ຢູ່ໃບນັດຄືນໃໝ່",
        "This is not a genuine slip code: scan the QR on your slip again",
    ),
    "pub_slip_not_yet": (
        "ໃບນັດນີ້ແທ້, ແຕ່ປ່ອງບໍລິການຍັງບໍ່ທັນສົ່ງຂໍ້ມູນຄຳຮ້ອງ {tracking} ມາເທື່ອ. ກະລຸນາກັບມາເບິ່ງພາຍຫຼັງ",
        "This slip is genuine, but the counter has not yet reported request {tracking}. "
        "Look again later",
    ),
    "pub_req_service": ("ບໍລິການ", "Service"),
    "pub_req_office": ("ຫ້ອງການ", "Office"),
    "pub_req_status": ("ສະຖານະ", "Status"),
    "pub_req_since": ("ຕັ້ງແຕ່ວັນທີ", "since"),
    "pub_req_promised": ("ວັນນັດຮັບຜົນ", "Come back on"),
    "pub_req_late": (
        "ຄຳຮ້ອງນີ້ຊ້າກວ່າວັນນັດ. ຂໍອະໄພ: ກະລຸນາຕິດຕໍ່ຫ້ອງການເພື່ອຮູ້ວັນໃໝ່",
        "This request is past its promised date. We apologise: ask the office for the new date",
    ),
    "pub_req_missing": (
        "ກະລຸນານຳເອກະສານເຫຼົ່ານີ້ມາເພີ່ມ:",
        "Please bring these documents:",
    ),
    "pub_req_ready": (
        "ຜົນພ້ອມແລ້ວ: ກະລຸນານຳໃບນັດມາຮັບ",
        "Your result is ready: bring your slip to collect it",
    ),
    "pub_st_received": ("ໄດ້ຮັບຄຳຮ້ອງແລ້ວ", "Received"),
    "pub_st_incomplete": ("ຂາດເອກະສານ", "Documents missing"),
    "pub_st_in_process": ("ກຳລັງດຳເນີນການ", "In process"),
    "pub_st_ready": ("ພ້ອມຮັບຜົນ", "Ready to collect"),
    "pub_st_collected": ("ຮັບຜົນແລ້ວ", "Collected"),
    "pub_st_rejected": ("ຖືກປະຕິເສດ", "Refused"),
    "pub_st_withdrawn": ("ຖອນຄຳຮ້ອງແລ້ວ", "Withdrawn"),
    "pub_fb_title": ("ໃຫ້ຄະແນນການບໍລິການ", "Rate the service"),
    "pub_fb_rating": ("ຄະແນນ (1 ບໍ່ພໍໃຈ, 5 ພໍໃຈຫຼາຍ)", "Rating (1 unhappy, 5 very happy)"),
    "pub_fb_comment": (
        "ຄຳເຫັນ (ບໍ່ບັງຄັບ, ສູງສຸດ {limit} ຕົວອັກສອນ)",
        "Comment (optional, up to {limit} characters)",
    ),
    "pub_fb_no_names": (
        "ກະລຸນາຢ່າຂຽນຊື່ ຫຼື ເບີໂທ",
        "Please write no names or phone numbers",
    ),
    "pub_fb_send": ("ສົ່ງຄະແນນ", "Send the rating"),
    "pub_fb_thanks": ("ຂອບໃຈສຳລັບຄະແນນຂອງທ່ານ", "Thank you for your rating"),
    "pub_fb_already": (
        "ຄຳຮ້ອງນີ້ໄດ້ໃຫ້ຄະແນນແລ້ວ: ໃຫ້ໄດ້ຄັ້ງດຽວຕໍ່ຄຳຮ້ອງ",
        "This request was already rated: one rating a request",
    ),
    "pub_fb_bad_rating": ("ກະລຸນາເລືອກຄະແນນ 1 ຫາ 5", "Choose a rating from 1 to 5"),
    "pub_fb_too_long": (
        "ຄຳເຫັນຍາວເກີນ {limit} ຕົວອັກສອນ",
        "The comment is longer than {limit} characters",
    ),
    "pub_fb_control": (
        "ຄຳເຫັນມີຕົວອັກສອນທີ່ໃຊ້ບໍ່ໄດ້",
        "The comment holds characters that cannot be kept",
    ),
    "pub_fb_back": ("ກັບໄປເບິ່ງສະຖານະ", "Back to the status"),
    # -- a request's status and feedback: to here --
    # the national calendar's pages (calendar_pages.py); the rest of their words are cat_'s
    "cal_title": ("ປະຕິທິນວັນພັກ", "Holiday calendar"),
    "cal_intro": (
        "ວັນພັກລັດຖະການ ແລະ ວັນປິດທົ່ວປະເທດ. ທຸກສະບັບທີ່ເຜີຍແຜ່ແລ້ວ ພ້ອມຜູ້ຮ່າງ ແລະ ຜູ້ອະນຸມັດ."
        " ສະບັບໃໝ່ຮ່າງໂດຍຜູ້ແກ້ໄຂ, ອະນຸມັດໂດຍອີກຄົນໜຶ່ງ, ແລ້ວເຜີຍແຜ່ພ້ອມວັນທີມີຜົນ:"
        " ປ່ອງບໍລິການໄດ້ຮັບໃນການຊິງຄັ້ງຕໍ່ໄປ ແລະ ນັບວັນນັດຮັບຄຳຮ້ອງໃໝ່ຕາມມັນແຕ່ວັນນັ້ນ."
        " ປີທີ່ບໍ່ມີໃນປະຕິທິນ ໃຊ້ວັນພັກຕາມປົກກະຕິຂອງລະບົບ.",
        "Public holidays and national closures. Every published version with who drafted and"
        " who approved it. A new version is drafted by an editor, approved by another person,"
        " then published with an effective date: counters get it at their next sync and count"
        " the return dates of new requests by it from that day. A year the calendar does not"
        " cover keeps the built-in Lao holidays.",
    ),
    "cal_version_n": ("ປະຕິທິນສະບັບທີ {version}", "Calendar version {version}"),
    "cal_draft_n": ("ຮ່າງປະຕິທິນທີ {id}", "Calendar draft {id}"),
    "cal_back": ("ກັບໄປປະຕິທິນວັນພັກ", "Back to the holiday calendar"),
    "cal_days": ("ວັນພັກ ແລະ ວັນປິດ", "Holidays and closures"),
    "cal_date": ("ວັນທີ", "Date"),
    "cal_kind": ("ປະເພດ", "Kind"),
    "cal_kind_holiday": ("ວັນພັກລັດຖະການ", "public holiday"),
    "cal_kind_closure": ("ວັນປິດທົ່ວປະເທດ", "national closure"),
    "cal_years": ("ປີທີ່ກວມເອົາ", "Years covered"),
    "cal_years_help": (
        "ປີ ຄ.ສ. ແຍກດ້ວຍຍະຫວ່າງ, ເຊັ່ນ 2026 2027. ໃນປີເຫຼົ່ານີ້ ມີແຕ່ວັນໃນລາຍການລຸ່ມນີ້ເປັນວັນພັກ.",
        "Years separated by spaces, e.g. 2026 2027. In these years only the days listed below"
        " are off.",
    ),
    "cal_from_package": (
        "ຈາກວັນພັກຕາມປົກກະຕິຂອງລະບົບ (ຍັງບໍ່ມີສະບັບເຜີຍແຜ່)",
        "from the built-in Lao holidays (nothing published yet)",
    ),
    "cal_difference": ("ຄວາມແຕກຕ່າງຈາກສະບັບທີ່ເຜີຍແຜ່", "Difference from the published version"),
    "cal_difference_none": (
        "ຄວາມແຕກຕ່າງຈາກວັນພັກຕາມປົກກະຕິຂອງລະບົບ",
        "Difference from the built-in Lao holidays",
    ),
    "cal_edit_help": (
        "ວັນທີຂຽນເປັນ ປປປປ-ດດ-ວວ; ທຸກວັນຕ້ອງມີຊື່ພາສາລາວ ແລະ ພາສາອັງກິດ; ວັນປິດທົ່ວປະເທດຕ້ອງແມ່ນວັນຈັນຫາວັນສຸກ.",
        "Dates are written YYYY-MM-DD; every day needs a Lao and an English name; a national"
        " closure must fall on a Monday to Friday.",
    ),
    "cal_add_row": ("ເພີ່ມວັນ", "Add a day"),
    "cal_publish_help": (
        "ວັນທີມີຜົນ: ມື້ນີ້ ຫຼື ຫຼັງຈາກນີ້ (ເວລາວຽງຈັນ), ຂຽນເປັນ {today}. ວັນນັດຮັບທີ່ໃຫ້ໄປແລ້ວບໍ່ປ່ຽນ.",
        "Effective date: today or later (Vientiane time), written like {today}. Return dates"
        " already given do not change.",
    ),
    # a late request's new date on its status page (request_status)
    "pub_req_new_date": ("ວັນນັດໃໝ່", "New date"),
    "pub_req_late_new": (
        "ຄຳຮ້ອງນີ້ຊ້າກວ່າວັນນັດ. ຂໍອະໄພ: ຫ້ອງການໄດ້ໃຫ້ວັນນັດໃໝ່ ແມ່ນວັນທີ {day}",
        "This request is past its promised date. We apologise: the office gave it a new"
        " date, {day}",
    ),
}


def tr(lang: Lang, key: str, **values: Any) -> str:
    text = STRINGS[key][0 if lang == "lo" else 1]
    return text.format(**values) if values else text


def pick(value: str | None) -> Lang:
    """The language a cookie or a query names; Lao for anything else."""
    return "en" if value == "en" else DEFAULT
