"""The monthly report's own words, each a (Lao, English) pair: printed Lao first, the English
beneath a heading or after a slash. The Lao wording is the team's own: have a native speaker
review it before a roll-out."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "title": (
        "ບົດລາຍງານປະຈຳເດືອນ ສຳລັບຄະນະກຳມະການຊີ້ນຳ",
        "Monthly report for the steering committee",
    ),
    "scope": ("ຂອບເຂດ", "Scope"),
    "ministry_only": ("ສະເພາະບໍລິການຂອງກະຊວງ", "Only the services of"),
    "ministry_note": (
        "ບົດລາຍງານນີ້ນັບສະເພາະບໍລິການຂອງກະຊວງດຽວ: ປ່ອງທີ່ບໍ່ໄດ້ຊິ້ງ ແລະ ເງິນສົດຂອງລິ້ນຊັກ"
        " ບໍ່ໄດ້ນັບແຍກຕາມບໍລິການ ຈຶ່ງບໍ່ມີໃນບົດລາຍງານນີ້.",
        "This report counts only one ministry's services: counters gone silent and the drawers'"
        " cash are not counted per service, so they are not in it.",
    ),
    "month": ("ເດືອນ", "Month"),
    "compared": ("ທຽບກັບ", "Compared with"),
    "made_at": ("ສ້າງເມື່ອ (ເວລາວຽງຈັນ)", "Made at (Vientiane time)"),
    "made_by": ("ສ້າງໂດຍ", "Made by"),
    "counter_named": ("ປ່ອງບໍລິການ {counter}", "Counter {counter}"),
    # the headline
    "headline": ("ຕົວເລກຫຼັກ", "Headline figures"),
    "figure": ("ຕົວເລກ", "Figure"),
    "this_month": ("ເດືອນນີ້", "This month"),
    "previous_month": ("ເດືອນກ່ອນ", "Previous month"),
    "received": ("ຄຳຮ້ອງທີ່ໄດ້ຮັບ", "Requests received"),
    "on_time_rate": ("ອັດຕາສຳເລັດທັນກຳນົດ", "On-time rate"),
    "ready": ("ຄຳຮ້ອງທີ່ສຳເລັດ", "Requests completed"),
    "overdue": ("ເກີນກຳນົດຕອນນີ້", "Overdue now"),
    "net_fees": ("ຄ່າທຳນຽມສຸດທິ (ກີບ)", "Net fees (kip)"),
    "mean_rating": ("ຄະແນນຄວາມພໍໃຈສະເລ່ຍ (ຈາກ 5)", "Mean satisfaction (of 5)"),
    "response_rate": ("ອັດຕາການໃຫ້ຄະແນນ", "Response rate"),
    "silent": ("ປ່ອງທີ່ບໍ່ໄດ້ຊິ້ງເກີນ {days} ມື້", "Counters silent over {days} days"),
    "silent_of": ("{silent} ຈາກ {counters}", "{silent} of {counters}"),
    "now_only": ("ຕອນນີ້", "now"),
    "overdue_note": (
        "ເກີນກຳນົດ: ຄຳຮ້ອງທີ່ຍັງບໍ່ສຳເລັດ ເຊິ່ງວັນນັດຮັບຢູ່ໃນເດືອນນັ້ນ ແລະ ຜ່ານໄປແລ້ວ ນັບຮອດມື້ນີ້",
        "Overdue: requests not yet ready whose promised date, within that month, has passed, "
        "counted as of today",
    ),
    # the trend
    "trend": ("ຄຳຮ້ອງທີ່ໄດ້ຮັບ 12 ເດືອນຫຼ້າສຸດ", "Requests received, the last 12 months"),
    # the places below
    "provinces": ("ແຂວງ", "Provinces"),
    "districts": ("ເມືອງ", "Districts"),
    "offices": ("ຫ້ອງການ", "Offices"),
    "offices_no_district": ("ຫ້ອງການທີ່ຍັງບໍ່ຢູ່ໃນເມືອງໃດ", "Offices in no district"),
    "counters": ("ປ່ອງບໍລິການ", "Counters"),
    "place": ("ສະຖານທີ່", "Place"),
    "on_time": ("ທັນກຳນົດ", "On time"),
    "none_below": ("ຍັງບໍ່ມີລາຍການ", "None registered yet"),
    "not_per_counter": (
        "ອັດຕາທັນກຳນົດບໍ່ໄດ້ນັບແຍກຕາມປ່ອງ",
        "The on-time rate is not counted per counter",
    ),
    # fees by ministry
    "fees_title": ("ຄ່າທຳນຽມຕາມກະຊວງ", "Fees by ministry"),
    "ministry": ("ກະຊວງ", "Ministry"),
    "checked": ("ຄຳຮ້ອງທີ່ກວດ", "Checked"),
    "off_catalog": ("ນອກລາຍການ", "Off catalog"),
    "old_version": ("ລາຍການເກົ່າ", "Old version"),
    "uniform_rate": ("ຕາມລາຍການ", "Uniform"),
    "unknown_ministry": ("ບໍ່ຮູ້ກະຊວງ", "Unknown ministry"),
    "total": ("ລວມ", "Total"),
    "fees_note": (
        "ຄ່າທຳນຽມຂອງແຕ່ລະຄຳຮ້ອງ ທຽບກັບລາຍການທີ່ສູນກາງພິມເຜີຍແຜ່ ໃນມື້ທີ່ຄຳຮ້ອງມາຮອດ",
        "Each request's fee against the catalog the centre had published when it arrived",
    ),
    # cash
    "cash_title": ("ສ່ວນຕ່າງເງິນສົດ", "Cash differences"),
    "closed": ("ຮອບເງິນສົດທີ່ປິດ", "Cash sessions closed"),
    "differences": ("ລິ້ນຊັກທີ່ນັບບໍ່ຕົງ", "Drawers counted off"),
    "difference_sum": ("ລວມສ່ວນຕ່າງ (ກີບ)", "Sum of differences (kip)"),
    "largest": ("ສ່ວນຕ່າງໃຫຍ່ສຸດ (ກີບ)", "Largest difference (kip)"),
    "approved": ("ທີ່ມີຜູ້ອະນຸມັດ", "Approved by a supervisor"),
    # the frame
    "page": ("ໜ້າ", "Page"),
}


def lo(key: str, **values: object) -> str:
    return WORDS[key][0].format(**values)


def en(key: str, **values: object) -> str:
    return WORDS[key][1].format(**values)


def both(key: str, **values: object) -> str:
    """ "ເດືອນ / Month": a label in both languages on one line."""
    return f"{lo(key, **values)} / {en(key, **values)}"
