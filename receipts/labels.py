"""The words printed on the documents, in Lao and in English, and how dates are written.

The Lao wording is the team's own: have a native speaker review it before a roll-out (a test
checks it is Lao, not Thai, letters).
"""

from __future__ import annotations

from datetime import date

from odsc_desk.shared.clock import local_time_text

LABELS: dict[str, tuple[str, str]] = {
    # receipt
    "receipt": ("ໃບຮັບເງິນ", "Receipt"),
    "receipt_no": ("ເລກທີໃບຮັບເງິນ", "Receipt No."),
    "date": ("ວັນທີ", "Date"),
    "payer": ("ຜູ້ຈ່າຍເງິນ", "Payer"),
    "id_number": ("ເລກບັດປະຈຳຕົວ", "ID number"),
    "service": ("ບໍລິການ", "Service"),
    "tracking": ("ເລກຕິດຕາມ", "Tracking No."),
    "amount": ("ຈຳນວນເງິນ", "Amount"),
    "in_words": ("ເປັນຕົວໜັງສື", "In words"),
    "method": ("ວິທີຈ່າຍ", "Paid by"),
    "cash": ("ເງິນສົດ", "Cash"),
    "transfer": ("ໂອນເງິນ", "Bank transfer"),
    "clerk": ("ພະນັກງານ", "Clerk"),
    "return_on": ("ວັນນັດຮັບຜົນ", "Come back on"),
    "legal_basis": ("ອີງຕາມ", "Legal basis"),
    "verify": ("ລະຫັດກວດສອບ", "Verification code"),
    "scan": ("ສະແກນ QR ເພື່ອກວດສອບໃບຮັບເງິນ", "Scan the QR code to check this receipt"),
    "copy": ("ສຳເນົາ", "COPY"),
    "void": ("ຍົກເລີກ", "VOID"),
    "voided_on": ("ໃບຮັບເງິນນີ້ຖືກຍົກເລີກ", "This receipt was voided"),
    "refunded": ("ຄືນເງິນແລ້ວ", "Refunded"),
    "reason": ("ເຫດຜົນ", "Reason"),
    "approved_by": ("ອະນຸມັດໂດຍ", "approved by"),
    "printed": ("ພິມເມື່ອ", "Printed"),
    "print_no": ("ພິມຄັ້ງທີ", "print no."),
    "counter": ("ປ່ອງບໍລິການ", "Counter"),
    # another counter's receipt, copied at this one: "... 1"
    "copy_of": ("ໃບຮັບເງິນຂອງປ່ອງບໍລິການ", "Receipt of counter"),
    # slip and notices
    "slip": ("ໃບນັດຮັບຜົນ", "Appointment slip"),
    "received_on": ("ວັນທີຮັບຄຳຮ້ອງ", "Received on"),
    "citizen": ("ຜູ້ຍື່ນຄຳຮ້ອງ", "Applicant"),
    "phone": ("ເບີໂທ", "Phone"),
    "village": ("ບ້ານ", "Village"),
    "documents": ("ເອກະສານ", "Documents"),
    "doc_received": ("ໄດ້ຮັບແລ້ວ", "received"),
    "doc_missing": ("ຍັງຂາດ", "missing"),
    "fee": ("ຄ່າທຳນຽມ", "Fee"),
    "paid": ("ຈ່າຍແລ້ວ", "Paid"),
    "due": ("ຍັງຄ້າງ", "Still due"),
    "bring_slip": (
        "ກະລຸນານຳໃບນີ້ມານຳ ເວລາມາຮັບຜົນ",
        "Please bring this slip when you come back",
    ),
    "missing_title": ("ໃບແຈ້ງຂໍເອກະສານເພີ່ມເຕີມ", "Request for additional documents"),
    "missing_body": (
        "ກະລຸນານຳເອກະສານລຸ່ມນີ້ມາເພີ່ມ ເພື່ອໃຫ້ພວກເຮົາສືບຕໍ່ດຳເນີນຄຳຮ້ອງຂອງທ່ານໄດ້",
        "Please bring the documents below so that we can go on with your request",
    ),
    "missing_none": (
        "ເອກະສານຄົບຖ້ວນຕາມລາຍການ ແຕ່ຕ້ອງແກ້ໄຂຕາມເຫດຜົນລຸ່ມນີ້",
        "Every listed document was received, but see the reason below",
    ),
    "refusal_title": ("ໃບແຈ້ງປະຕິເສດຄຳຮ້ອງ", "Notice of refusal"),
    "refusal_body": (
        "ພວກເຮົາຂໍແຈ້ງວ່າ ຄຳຮ້ອງຂອງທ່ານບໍ່ໄດ້ຮັບການອະນຸມັດ ດ້ວຍເຫດຜົນລຸ່ມນີ້",
        "We regret that your request cannot be granted, for the reason below",
    ),
    "newdate_title": ("ໃບແຈ້ງວັນນັດໃໝ່", "New appointment date"),
    "newdate_body": (
        "ພວກເຮົາຂໍອະໄພ ທີ່ຄຳຮ້ອງຂອງທ່ານບໍ່ທັນສຳເລັດຕາມວັນນັດ",
        "We apologise: your request was not ready on the date we promised",
    ),
    "first_date": ("ວັນນັດເດີມ", "Date first promised"),
    "new_date": ("ວັນນັດໃໝ່", "New date"),
    "contact": (
        "ຫາກມີຂໍ້ສົງໄສ ກະລຸນາຕິດຕໍ່ປ່ອງບໍລິການ ພ້ອມເລກຕິດຕາມ",
        "For any question, come to the counter with your tracking number",
    ),
    # daily summary
    "summary": ("ລາຍງານປະຈຳວັນ", "Daily summary"),
    "sessions": ("ຮອບເງິນສົດ", "Cash sessions"),
    "opened": ("ເປີດ", "opened"),
    "closed": ("ປິດ", "closed"),
    "not_closed": ("ຍັງບໍ່ປິດ", "not closed"),
    "staff": ("ພະນັກງານ", "Staff"),
    # the audit chain's newest link at the day's end, for `odsc check --heads`
    "chain_head": ("ຫົວລະບົບກວດສອບ", "Audit chain head"),
    "requests_taken": ("ຄຳຮ້ອງທີ່ຮັບ", "Requests taken"),
    "payments": ("ການຈ່າຍເງິນ", "Payments"),
    "totals": ("ຍອດລວມ", "Totals"),
    "gross": ("ລາຍຮັບລວມ", "Gross"),
    "voided": ("ຍົກເລີກ", "Voided"),
    "refunds": ("ຄືນເງິນ", "Refunds"),
    "net": ("ລາຍຮັບສຸດທິ", "Net"),
    "by_service": ("ຕາມບໍລິການ", "By service"),
    "by_ministry": ("ຕາມກະຊວງ", "By ministry"),
    "by_method": ("ຕາມວິທີຈ່າຍ", "By payment method"),
    "by_clerk": ("ຕາມພະນັກງານ", "By clerk"),
    "code": ("ລະຫັດ", "Code"),
    "name": ("ຊື່", "Name"),
    "count": ("ຈຳນວນ", "Count"),
    "fees": ("ເງິນ", "Amount"),
    "total": ("ລວມ", "Total"),
    "voids": ("ການຍົກເລີກ", "Voids"),
    "by": ("ໂດຍ", "by"),
    "time": ("ເວລາ", "Time"),
    "cash_title": ("ເງິນສົດ", "Cash"),
    "float": ("ເງິນທອນເລີ່ມຕົ້ນ", "Float"),
    "expected": ("ເງິນສົດທີ່ຄວນມີ", "Expected cash"),
    "counted": ("ເງິນສົດນັບໄດ້", "Counted"),
    "difference": ("ສ່ວນຕ່າງ", "Difference"),
    "overdue": ("ຄຳຮ້ອງກາຍກຳນົດ", "Overdue requests"),
    "days_late": ("ຊ້າ (ມື້)", "Days late"),
    "feedback": ("ຄວາມພໍໃຈຂອງປະຊາຊົນ", "Citizen feedback"),
    "ratings": ("ຄຳຕິຊົມ", "ratings"),
    "average": ("ສະເລ່ຍ", "average"),
    "chart_services": ("ຄຳຮ້ອງຕາມບໍລິການ", "Requests by service"),
    "chart_hours": ("ຄຳຮ້ອງຕາມຊົ່ວໂມງ", "Requests by hour"),
    # the office's daily summary (docs/OFFICE_SHARING.md, D8)
    "office_summary": ("ລາຍງານປະຈຳວັນຂອງຫ້ອງການ", "Office daily summary"),
    "office_as_of": ("ຂໍ້ມູນຂອງປ່ອງອື່ນເຖິງ", "Other counters' data as of"),
    "office_never": (
        "ຍັງບໍ່ມີຂໍ້ມູນຈາກປ່ອງອື່ນ: ຕ້ອງຊິ້ງກ່ອນ",
        "Nothing from the other counters yet: sync first",
    ),
    "by_counter": ("ແຍກຕາມປ່ອງບໍລິການ", "By counter"),
    "this_counter": ("ປ່ອງນີ້", "this counter"),
    "requests": ("ຄຳຮ້ອງ", "Requests"),
    "anomalies": ("ປະຫວັດທີ່ເປັນໄປບໍ່ໄດ້", "Impossible histories"),
    "anomalies_window": ("ໃນໄລຍະ", "over"),
    "contested": ("ການປ່ຽນສະຖານະທີ່ຂັດກັນ", "Contested status changes"),
    "overpaid": ("ຈ່າຍເກີນຄ່າທຳນຽມ", "Paid beyond the fee"),
    "status_now": ("ສະຖານະດຽວນີ້", "Status now"),
    "wanted": ("ປ່ຽນເປັນ", "Change to"),
    "after_event": ("ຫຼັງຈາກ", "After"),
    "receipts": ("ໃບຮັບເງິນ", "Receipts"),
    "anomalies_answer": (
        "ບໍ່ມີຫຍັງຖືກລຶບ: ຫົວໜ້າແກ້ໄຂດ້ວຍການຄືນເງິນ ຫຼື ການປ່ຽນສະຖານະ",
        "Nothing is deleted: a supervisor answers with a refund or a status change",
    ),
    # statuses, as the window names them
    "st_received": ("ຮັບແລ້ວ", "Received"),
    "st_incomplete": ("ເອກະສານບໍ່ຄົບ", "Incomplete"),
    "st_in_process": ("ກຳລັງດຳເນີນການ", "In process"),
    "st_ready": ("ພ້ອມຮັບຜົນ", "Ready"),
    "st_collected": ("ຮັບຜົນແລ້ວ", "Collected"),
    "st_rejected": ("ຖືກປະຕິເສດ", "Rejected"),
    "st_withdrawn": ("ຖອນຄຳຮ້ອງແລ້ວ", "Withdrawn"),
    "none": ("ບໍ່ມີ", "none"),
    "page": ("ໜ້າ", "Page"),
    "more": ("ແລະ ອີກ", "and more:"),
    # the slip's QR and its lookup hint
    "slip_scan": (
        "ສະແກນ QR ເພື່ອຕິດຕາມຄຳຮ້ອງ ແລະ ໃຫ້ຄະແນນ",
        "Scan to follow your request and rate us",
    ),
    "slip_status_hint": (
        "ຫຼື ພິມເລກຕິດຕາມ ແລະ 4 ຕົວເລກສຸດທ້າຍຂອງເບີໂທທ່ານ ທີ່",
        "or type the tracking number and the last 4 digits of your phone at",
    ),
}


def lo(key: str) -> str:
    return LABELS[key][0]


def en(key: str) -> str:
    return LABELS[key][1]


def both(key: str) -> str:
    """ "ໃບຮັບເງິນ / Receipt"."""
    lao, english = LABELS[key]
    return f"{lao} / {english}"


def day_text(value: date | str) -> str:
    """26/11/2026: official documents write Gregorian dates with Arabic digits."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d/%m/%Y")


def moment_text(stamp: str) -> str:
    """A stored UTC stamp as the office's wall-clock time: 26/11/2026 09:00."""
    return local_time_text(stamp)
