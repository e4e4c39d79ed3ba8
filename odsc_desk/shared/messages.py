"""The core's messages, in Lao and in English, keyed by a stable code.

Placeholders are `{name}`; a test checks both languages use the same ones. Lao wording is the
team's own and should be reviewed by a native speaker before a roll-out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # amounts
    "amount.negative": ("ຈຳນວນເງິນຕ້ອງບໍ່ຕິດລົບ", "The amount cannot be negative"),
    "amount.not_whole": (
        "ຈຳນວນເງິນຕ້ອງເປັນຕົວເລກກີບເຕັມ",
        "The amount must be a whole number of kip",
    ),
    "amount.too_large": (
        "ຈຳນວນເງິນເກີນຂີດຈຳກັດ {limit} ກີບ",
        "The amount is over the limit of {limit} kip",
    ),
    "amount.zero": ("ຈຳນວນເງິນຕ້ອງຫຼາຍກວ່າສູນ", "The amount must be more than zero"),
    # audit and integrity
    "audit.broken": (
        "ບັນທຶກການກວດສອບຖືກແກ້ໄຂ ຢູ່ແຖວທີ {seq}",
        "The audit chain is broken at row {seq}: that row was changed",
    ),
    "audit.gap": (
        "ບັນທຶກການກວດສອບຂາດຫາຍ: ຄາດວ່າແຖວທີ {expected} ແຕ່ພົບແຖວທີ {seq}",
        "The audit chain has a gap: row {expected} expected, row {seq} found",
    ),
    "fact.changed": (
        "ຂໍ້ມູນໃນ {table} ({id}) ຫຼື ແຖວກວດສອບທີ {seq} ຂອງມັນ ຖືກແກ້ໄຂຫຼັງຈາກບັນທຶກ",
        "A row of {table} ({id}), or its audit row {seq}, was changed after it was recorded",
    ),
    "fact.missing": (
        "ຂໍ້ມູນແຖວໜຶ່ງໃນ {table} ຫາຍໄປ: ບັນທຶກການກວດສອບຂາດຢູ່ແຖວທີ {seq}",
        "A row of {table} is missing: the audit chain breaks at row {seq}",
    ),
    "fact.unaudited": (
        "ຂໍ້ມູນໃນ {table} ({id}) ບໍ່ມີໃນບັນທຶກການກວດສອບ",
        "A row of {table} ({id}) is not in the audit chain: it was added behind the app's back",
    ),
    "outbox.missing": (
        "ລາຍການລໍຖ້າສົ່ງ {missing} ລາຍການຫາຍໄປຈາກຄິວ ໂດຍບໍ່ໄດ້ສົ່ງເຖິງສູນກາງ",
        "{missing} ops waiting for the centre have gone from the sync queue",
    ),
    "outbox.mismatch": (
        "ລາຍການລໍຖ້າສົ່ງ ({id}) ບໍ່ກົງກັບບັນທຶກການກວດສອບ (ແຖວທີ {seq})",
        "The sync queue entry for {id} does not match the audit chain (audit row {seq})",
    ),
    "outbox.tampered": (
        "ລາຍການລໍຖ້າສົ່ງ ({id}, ແຖວກວດສອບທີ {seq}) ບໍ່ແມ່ນຂໍ້ມູນທີ່ບັນທຶກໄວ້: ມັນຖືກແກ້ໄຂ ແລະ ຈະບໍ່ຖືກສົ່ງໄປສູນກາງ",
        "The sync queue entry for {id} (audit row {seq}) is not the fact recorded: it was"
        " edited, and it will not be sent to the centre",
    ),
    "heads.mismatch": (
        "ຫົວລະບົບທີ່ພິມໄວ້ ແຖວທີ {line} ({seq} {prefix}) ບໍ່ກົງກັບຂໍ້ມູນນີ້: ປະຫວັດຈົນຮອດແຖວທີ {seq} ຖືກຂຽນຄືນໃໝ່",
        "The printed chain head on line {line} ({seq} {prefix}) does not match this store:"
        " its history up to audit row {seq} was rewritten",
    ),
    "heads.missing": (
        "ຫົວລະບົບທີ່ພິມໄວ້ ແຖວທີ {line} ({seq} {prefix}) ເກີນທ້າຍລະບົບຂອງຂໍ້ມູນນີ້ ({last} ແຖວ):"
        " ມີຂໍ້ມູນຖືກລຶບ ຫຼື ກູ້ຄືນຈາກສຳຮອງເກົ່າ",
        "The printed chain head on line {line} ({seq} {prefix}) is past the end of this"
        " store's chain ({last} rows): facts were deleted or an older backup was restored",
    ),
    "heads.line_invalid": (
        "ແຖວທີ {line} ຂອງ {path} ບໍ່ແມ່ນ '<ແຖວ> <ລະຫັດ>' ຕາມທີ່ພິມຢູ່ໃນສະຫຼຸບປະຈຳວັນ",
        "Line {line} of {path} is not '<row> <hash>' as printed on a daily summary",
    ),
    "heads.empty": (
        "{path} ບໍ່ມີຫົວລະບົບທີ່ພິມໄວ້ຈັກອັນ",
        "{path} holds no printed chain head",
    ),
    "heads.unreadable": (
        "ອ່ານໄຟລ໌ {path} ບໍ່ໄດ້: {detail}",
        "The file {path} cannot be read: {detail}",
    ),
    "chain.rewritten": (
        "ສູນກາງພົບວ່າປະຫວັດຂອງປ່ອງນີ້ຖືກຂຽນຄືນໃໝ່: ລະບົບຢູ່ແຖວທີ {seq} ບໍ່ກົງກັບທີ່ສູນກາງຮັບຮູ້ໄວ້. ກະລຸນາແຈ້ງສູນກາງ",
        "The centre finds this counter's history rewritten: its chain at audit row {seq} is not"
        " what the centre acknowledged. Tell the centre",
    ),
    "chain.behind": (
        "ສູນກາງພົບວ່າປະຫວັດຂອງປ່ອງນີ້ສັ້ນກວ່າທີ່ສູນກາງຮັບຮູ້ໄວ້ (ແຖວທີ {seq}): ອາດກູ້ຄືນຈາກສຳຮອງເກົ່າ"
        " ຫຼື ມີຂໍ້ມູນຖືກລຶບ. ກະລຸນາແຈ້ງສູນກາງ",
        "The centre finds this counter's chain behind what it acknowledged (audit row {seq}):"
        " an older backup was restored or facts were deleted. Tell the centre",
    ),
    "catalog.changed": (
        "ລາຍການບໍລິການສະບັບ {version} ຖືກແກ້ໄຂ",
        "Catalog version {version} has been altered",
    ),
    "current.mismatch": (
        "ສະຖານະຂອງ {tracking} ບໍ່ກົງກັບປະຫວັດ",
        "The status of {tracking} does not match its history",
    ),
    "setting.changed": (
        "ການຕັ້ງຄ່າ {key} ຖືກແກ້ໄຂນອກໂປຣແກຣມ",
        "Setting {key} was changed outside the app",
    ),
    "office.changed": (
        "ຂໍ້ມູນຫ້ອງການ ຫຼື ເລກປ່ອງບໍລິການຖືກແກ້ໄຂ",
        "The office identity (code or counter) was altered",
    ),
    "sqlite.integrity": (
        "ໄຟລ໌ຂໍ້ມູນເສຍຫາຍ: {detail}",
        "The database file is damaged: {detail}",
    ),
    # users
    "auth.approval_needed": (
        "ຕ້ອງມີການອະນຸມັດຈາກຫົວໜ້າ",
        "A supervisor's approval is needed",
    ),
    "auth.failed": ("ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ", "Wrong user name or password"),
    "auth.not_supervisor": (
        "{user} ບໍ່ແມ່ນຫົວໜ້າ: ບໍ່ສາມາດອະນຸມັດໄດ້",
        "{user} is not a supervisor and cannot approve this",
    ),
    "auth.role": (
        "ຜູ້ໃຊ້ {user} ບໍ່ມີສິດເຮັດສິ່ງນີ້ (ຕ້ອງເປັນ {role})",
        "User {user} may not do this (it needs the {role} role)",
    ),
    "user.needed": (
        "ກະລຸນາລະບຸຜູ້ໃຊ້: --user ຫຼື ODSC_USER",
        "Say who you are: --user NAME or ODSC_USER",
    ),
    "password.needed": (
        "ຕ້ອງມີລະຫັດຜ່ານ: ຕັ້ງ {variable} ຫຼື ພິມເມື່ອຖືກຖາມ",
        "A password is needed: set {variable} or type it when asked",
    ),
    "password.mismatch": ("ລະຫັດຜ່ານທັງສອງບໍ່ກົງກັນ", "The two passwords differ"),
    "user.exists": ("ມີຜູ້ໃຊ້ {user} ແລ້ວ", "User {user} already exists"),
    "user.name_invalid": (
        "ຊື່ຜູ້ໃຊ້ຕ້ອງເປັນຕົວອັກສອນລາວ ຫຼື ລາຕິນ (ພ້ອມສະຫຼະ ແລະ ວັນນະຍຸດ), ຕົວເລກ, ຈຸດ, - ຫຼື _"
        " ບໍ່ມີຍະຫວ່າງ, ບໍ່ເກີນ {limit} ຕົວ",
        "A user name is Lao or Latin letters (with their vowel signs and tone marks), digits,"
        " '.', '-' or '_': one word, at most {limit} characters",
    ),
    "user.password_short": (
        "ລະຫັດຜ່ານຕ້ອງມີຢ່າງໜ້ອຍ {minimum} ຕົວອັກສອນ",
        "The password must have at least {minimum} characters",
    ),
    "user.role_invalid": ("ບົດບາດຕ້ອງເປັນ: {roles}", "The role must be one of: {roles}"),
    "user.unknown": ("ບໍ່ມີຜູ້ໃຊ້ {user}", "There is no user {user}"),
    "user.password_blank": (
        "ລະຫັດຜ່ານຕ້ອງບໍ່ແມ່ນຍະຫວ່າງຢ່າງດຽວ",
        "The password cannot be only spaces",
    ),
    "user.password_name": (
        "ລະຫັດຜ່ານຕ້ອງບໍ່ແມ່ນຊື່ຜູ້ໃຊ້ ແລະ ບໍ່ມີຊື່ຜູ້ໃຊ້ຢູ່ໃນນັ້ນ",
        "The password must not be the user name or contain it",
    ),
    "user.password_common": (
        "ລະຫັດຜ່ານນີ້ມີຄົນໃຊ້ຫຼາຍ ແລະ ເດົາໄດ້ງ່າຍ: ກະລຸນາເລືອກອັນອື່ນ",
        "This password is too common and easy to guess: choose another",
    ),
    "auth.wait": (
        "ລະຫັດຜ່ານຜິດຫຼາຍເທື່ອ: ກະລຸນາລໍຖ້າ {seconds} ວິນາທີ ແລ້ວລອງໃໝ່",
        "Too many wrong passwords: wait {seconds} s and try again",
    ),
    "auth.locked": (
        "ຊື່ຜູ້ໃຊ້ນີ້ຖືກລັອກຍ້ອນລະຫັດຜ່ານຜິດຫຼາຍເທື່ອ ຈົນຮອດເວລາ {until} ຫຼື ຈົນກວ່າຫົວໜ້າຈະປົດລັອກ",
        "This user name is locked after too many wrong passwords until {until},"
        " or until a supervisor unlocks it",
    ),
    "approval.self": (
        "{user} ອະນຸມັດວຽກຂອງຕົນເອງບໍ່ໄດ້: ຕ້ອງແມ່ນຫົວໜ້າອີກຄົນໜຶ່ງ"
        " (ຫ້ອງການທີ່ມີຄົນດຽວ: ຜູ້ດູແລລະບົບເປີດການຕັ້ງຄ່າ self_approval)",
        "{user} cannot approve their own action: another supervisor must"
        " (a one-person office: an admin turns on the self_approval setting)",
    ),
    # catalog
    "catalog.duplicate": (
        "ລະຫັດ {code} ຊ້ຳກັນໃນລາຍການບໍລິການ",
        "Code {code} appears twice in the catalog",
    ),
    "catalog.empty": (
        "ຍັງບໍ່ມີລາຍການບໍລິການ: ນຳເຂົ້າລາຍການຈາກສູນກາງກ່ອນ",
        "There is no service catalog yet: import the centre's catalog first",
    ),
    "catalog.field": (
        "ໄຟລ໌ລາຍການບໍລິການຜິດຢູ່ {where}: ຂາດຂໍ້ມູນ ຫຼື ບໍ່ແມ່ນຂໍ້ຄວາມ",
        "The catalog file is wrong at {where}: a value is missing or not text",
    ),
    "catalog.number": (
        "ໄຟລ໌ລາຍການບໍລິການຜິດຢູ່ {where}: ຕ້ອງເປັນຕົວເລກເຕັມ 0 ຫາ {limit}",
        "The catalog file is wrong at {where}: it must be a whole number from 0 to {limit}",
    ),
    "catalog.reference": (
        "ໄຟລ໌ລາຍການບໍລິການຜິດຢູ່ {where}: ບໍ່ຮູ້ຈັກລະຫັດ {code}",
        "The catalog file is wrong at {where}: unknown code {code}",
    ),
    "catalog.unreadable": (
        "ອ່ານໄຟລ໌ລາຍການບໍລິການ {path} ບໍ່ໄດ້: {detail}",
        "Cannot read the catalog file {path}: {detail}",
    ),
    "catalog.version_clash": (
        "ລາຍການບໍລິການສະບັບ {version} ມີຢູ່ແລ້ວ ແຕ່ເນື້ອໃນຕ່າງກັນ",
        "Catalog version {version} is already here with different content",
    ),
    "catalog.version_old": (
        "ລາຍການບໍລິການສະບັບ {version} ເກົ່າກວ່າສະບັບປັດຈຸບັນ {current}",
        "Catalog version {version} is older than the current version {current}",
    ),
    "service.required": ("ກະລຸນາເລືອກບໍລິການ", "Choose a service"),
    "service.unknown": ("ບໍ່ພົບບໍລິການລະຫັດ {code}", "Unknown service {code}"),
    "document.unknown": (
        "ເອກະສານ {code} ບໍ່ຢູ່ໃນລາຍການເອກະສານຂອງບໍລິການ {service}",
        "Document {code} is not on the checklist of service {service}",
    ),
    # requests
    "request.unknown": (
        "ບໍ່ພົບຄຳຮ້ອງເລກຕິດຕາມ {tracking}",
        "No request with tracking number {tracking}",
    ),
    "status.unknown": (
        "ບໍ່ຮູ້ຈັກສະຖານະ {status} (ມີ: {known})",
        "Unknown status {status} (known: {known})",
    ),
    "status.illegal": (
        "ຄຳຮ້ອງ {tracking} ບໍ່ສາມາດປ່ຽນຈາກ {old} ເປັນ {new} ໄດ້",
        "{tracking} cannot go from {old} to {new}",
    ),
    "status.unpaid": (
        "ຄຳຮ້ອງ {tracking} ຍັງຄ້າງຈ່າຍ {due} ກີບ: ຮັບເງິນກ່ອນສົ່ງມອບຜົນ",
        "{tracking} still owes {due} kip: take the payment before handing over the result",
    ),
    "office.read_only": (
        "ຄຳຮ້ອງ {tracking} ເປັນຂອງປ່ອງ {counter}: ສູນກາງຍັງບໍ່ຮັບການປ່ຽນແປງຈາກປ່ອງອື່ນ,"
        " ກະລຸນາໃຫ້ປ່ອງ {counter} ດຳເນີນການ",
        "{tracking} belongs to counter {counter}: the centre does not yet take other counters'"
        " changes to it, so counter {counter} must serve it",
    ),
    "office.copy_read_only": (
        "ໃບຮັບເງິນ {receipt} ເປັນຂອງປ່ອງ {counter}: ສູນກາງຍັງບໍ່ຮັບສຳເນົາທີ່ພິມຢູ່ປ່ອງອື່ນ, ກະລຸນາໃຫ້ປ່ອງ {counter} ພິມ",
        "Receipt {receipt} is counter {counter}'s: the centre does not yet take copies printed"
        " at other counters, so counter {counter} must print it",
    ),
    "reason.required": ("ກະລຸນາໃສ່ເຫດຜົນ", "A reason is required"),
    "name.empty": ("ກະລຸນາໃສ່ຊື່", "Please enter a name"),
    "name.no_letters": ("ຊື່ຕ້ອງມີຕົວອັກສອນ", "A name must contain letters"),
    "name.starts_with_mark": (
        "ຊື່ບໍ່ສາມາດເລີ່ມດ້ວຍວັນນະຍຸດ ຫຼື ສະຫຼະເທິງ-ລຸ່ມ",
        "A name cannot start with a tone mark or a vowel sign",
    ),
    "name.too_long": (
        "ຊື່ຍາວເກີນ {limit} ຕົວອັກສອນ",
        "The name is longer than {limit} characters",
    ),
    "phone.invalid": (
        "ເບີໂທບໍ່ຖືກຕ້ອງ (6 ຫາ 15 ຕົວເລກ)",
        "The phone number is not valid (6 to 15 digits)",
    ),
    "id_number.invalid": (
        "ເລກບັດບໍ່ຖືກຕ້ອງ (ຕົວອັກສອນລາຕິນ ແລະ ຕົວເລກ, ບໍ່ເກີນ 30 ຕົວ)",
        "The ID number is not valid (Latin letters and digits, at most 30)",
    ),
    "text.control": (
        "ຂໍ້ຄວາມມີຕົວອັກສອນຄວບຄຸມທີ່ບໍ່ອະນຸຍາດ",
        "The text contains control characters",
    ),
    "text.required": ("ກະລຸນາໃສ່ຂໍ້ມູນນີ້", "This value is required"),
    "text.too_long": (
        "ຂໍ້ຄວາມຍາວເກີນ {limit} ຕົວອັກສອນ",
        "The text is longer than {limit} characters",
    ),
    "date.invalid": (
        "ວັນທີບໍ່ຖືກຕ້ອງ: {value} (ໃຊ້ ປປປປ-ດດ-ວວ ເຊັ່ນ 2026-11-26)",
        "Not a date: {value} (use YYYY-MM-DD, e.g. 2026-11-26)",
    ),
    "feedback.already": (
        "ຄຳຮ້ອງ {tracking} ມີຄຳຄິດເຫັນແລ້ວ",
        "Feedback for {tracking} is already recorded",
    ),
    "feedback.rating": ("ຄະແນນຕ້ອງເປັນ 1 ຫາ 5", "The rating must be a whole number from 1 to 5"),
    "closure.exists": (
        "ວັນທີ {date} ເປັນວັນປິດຫ້ອງການແລ້ວ",
        "{date} is already an office closure",
    ),
    # payments and cash
    "payment.method": ("ວິທີຈ່າຍຕ້ອງເປັນ: {methods}", "The payment method must be one of: {methods}"),
    "payment.nothing_due": (
        "ຄຳຮ້ອງ {tracking} ບໍ່ມີຄ່າທຳນຽມຄ້າງຈ່າຍ",
        "Nothing is due on {tracking}",
    ),
    "payment.over": (
        "ຈຳນວນເງິນເກີນຍອດທີ່ຕ້ອງຈ່າຍ {due} ກີບ: ໃຫ້ທອນເງິນແທນ",
        "The amount is more than the {due} kip due: give change instead",
    ),
    "payment.under": (
        "ຈຳນວນເງິນໜ້ອຍກວ່າຍອດທີ່ຕ້ອງຈ່າຍ {due} ກີບ (ບໍ່ອະນຸຍາດໃຫ້ຈ່າຍບາງສ່ວນ)",
        "The amount is less than the {due} kip due (part payments are not allowed)",
    ),
    "payment.request_closed": (
        "ຄຳຮ້ອງ {tracking} ມີສະຖານະ {status}: ຮັບເງິນບໍ່ໄດ້",
        "{tracking} is {status}: no payment can be taken",
    ),
    "payment.reference_cash": (
        "ເລກອ້າງອີງຂອງທະນາຄານ ໃຊ້ສະເພາະການຈ່າຍແບບໂອນເງິນ",
        "A bank reference goes only with a transfer",
    ),
    "receipt.unknown": ("ບໍ່ພົບໃບຮັບເງິນເລກ {receipt}", "No receipt {receipt}"),
    "receipt.printed_meanwhile": (
        "ໃບຮັບເງິນ {receipt} ຖືກພິມໄປແລ້ວໃນລະຫວ່າງນີ້: ກະລຸນາພິມອີກຄັ້ງ (ຈະເປັນສຳເນົາ)",
        "Receipt {receipt} was printed meanwhile: print it again (it will be a copy)",
    ),
    "receipt_code.malformed": (
        "ນີ້ບໍ່ແມ່ນລະຫັດໃບຮັບເງິນ ODSC",
        "This is not an ODSC receipt code",
    ),
    "receipt_code.unknown_key": (
        "ລະຫັດໃບຮັບເງິນອ້າງເຖິງກະແຈທີ່ບໍ່ຮູ້ຈັກ {key}",
        "The receipt code names an unknown key {key}",
    ),
    "receipt_code.key_mismatch": (
        "ກະແຈ {key} ບໍ່ກົງກັບລະຫັດຂອງມັນ",
        "Key {key} does not match its id",
    ),
    "receipt_code.forged": (
        "ລາຍເຊັນບໍ່ກົງກັນ: ໃບຮັບເງິນຖືກແກ້ໄຂ",
        "The signature does not match: the receipt was altered",
    ),
    "signing.no_key": (
        "ເຄົາເຕີນີ້ຍັງບໍ່ມີກະແຈລົງລາຍເຊັນ",
        "This counter has no signing key yet",
    ),
    "signing.key_changed": (
        "ກະແຈລົງລາຍເຊັນປັດຈຸບັນແມ່ນ {current}, ບໍ່ແມ່ນ {key}",
        "The current signing key is {current}, not {key}",
    ),
    "void.already": ("ໃບຮັບເງິນ {receipt} ຖືກຍົກເລີກແລ້ວ", "Receipt {receipt} is already void"),
    "void.refunded": (
        "ໃບຮັບເງິນ {receipt} ມີການຄືນເງິນແລ້ວ: ໃຫ້ຄືນເງິນສ່ວນທີ່ເຫຼືອແທນການຍົກເລີກ",
        "Receipt {receipt} has a refund: refund the rest instead of voiding",
    ),
    "refund.over": (
        "ໃບຮັບເງິນນີ້ຄືນເງິນໄດ້ບໍ່ເກີນ {refundable} ກີບ",
        "At most {refundable} kip can be refunded on this receipt",
    ),
    "refund.voided": (
        "ໃບຮັບເງິນ {receipt} ຖືກຍົກເລີກແລ້ວ: ບໍ່ມີຫຍັງໃຫ້ຄືນ",
        "Receipt {receipt} is void: there is nothing to refund",
    ),
    "session.none": (
        "ຍັງບໍ່ໄດ້ເປີດຮອບເງິນສົດ: ເປີດຮອບກ່ອນຮັບເງິນ",
        "No cash session is open: open one before taking payments",
    ),
    "session.already_open": (
        "ຮອບເງິນສົດວັນທີ {date} ເປີດຢູ່ແລ້ວ",
        "The cash session of {date} is already open",
    ),
    "session.stale": (
        "ຮອບເງິນສົດວັນທີ {date} ຍັງບໍ່ໄດ້ປິດ: ປິດກ່ອນ ແລ້ວເປີດຮອບໃໝ່ສຳລັບມື້ນີ້",
        "The cash session of {date} is still open: close it, then open one for today",
    ),
    "session.reason_required": (
        "ເງິນສົດຕ່າງກັນ {difference} ກີບ: ກະລຸນາໃສ່ເຫດຜົນ",
        "The cash differs by {difference} kip: give the reason",
    ),
    "cash.note_count": (
        "ຈຳນວນໃບ {note} ກີບ ຕ້ອງເປັນຕົວເລກເຕັມ ຕັ້ງແຕ່ 0 ຂຶ້ນໄປ",
        "The number of {note} kip notes must be a whole number, 0 or more",
    ),
    "cash.note_unknown": (
        "{note} ກີບ ບໍ່ແມ່ນທະນະບັດທີ່ໃຊ້ຢູ່",
        "{note} kip is not a note in use",
    ),
    "session.difference_needs_approval": (
        "ເງິນສົດຕ່າງກັນ {difference} ກີບ (ເກີນ {limit} ກີບ): ຕ້ອງໃຫ້ຫົວໜ້າອະນຸມັດ",
        "The cash differs by {difference} kip (over the {limit} kip allowed):"
        " a supervisor must approve",
    ),
    # settings and office
    "setting.bool": ("ຄ່ານີ້ຕ້ອງເປັນ yes ຫຼື no", "This setting takes yes or no"),
    "setting.int": ("ຄ່ານີ້ຕ້ອງເປັນຕົວເລກເຕັມ", "This setting takes a whole number"),
    "setting.choice": ("ຄ່ານີ້ຕ້ອງເປັນໜຶ່ງໃນ: {choices}", "This setting takes one of: {choices}"),
    "setting.unknown": ("ບໍ່ຮູ້ຈັກການຕັ້ງຄ່າ {key}", "Unknown setting {key}"),
    "office.code_invalid": (
        "ລະຫັດຫ້ອງການບໍ່ຖືກຕ້ອງ (ຕົວຢ່າງ VTE-SST)",
        "The office code is not valid (for example VTE-SST)",
    ),
    "office.counter_invalid": (
        "ເລກປ່ອງບໍລິການຕ້ອງເປັນ 1 ຫາ {limit}",
        "The counter number must be from 1 to {limit}",
    ),
    # files, backups, the store
    "file.exists": ("ໄຟລ໌ {path} ມີຢູ່ແລ້ວ: ເລືອກຊື່ອື່ນ", "{path} already exists: choose another name"),
    "file.missing": ("ບໍ່ພົບໄຟລ໌ {path}", "File not found: {path}"),
    "file.no_folder": ("ບໍ່ພົບໂຟນເດີ {path}", "Folder not found: {path}"),
    "file.unwritable": (
        "ບັນທຶກໄຟລ໌ {path} ບໍ່ໄດ້: {detail}. ບໍ່ມີຫຍັງຖືກບັນທຶກ",
        "Cannot write {path}: {detail}. Nothing was written",
    ),
    "file.is_link": (
        "{path} ເປັນລິ້ງທີ່ຊີ້ໄປບ່ອນອື່ນ: ໂປຣແກຣມບໍ່ຂຽນຜ່ານລິ້ງ. ເລືອກຊື່ອື່ນ",
        "{path} is a link to somewhere else: nothing is written through a link."
        " Choose another name",
    ),
    "file.disk_full": (
        "ບ່ອນເກັບຂໍ້ມູນຂອງໂຟນເດີ {path} ເຕັມ: ບໍ່ມີຫຍັງຖືກບັນທຶກ. ລຶບໄຟລ໌ທີ່ບໍ່ໃຊ້ແລ້ວອອກ ຫຼື ເລືອກໂຟນເດີ ຫຼື USB ອື່ນ",
        "The disk of the folder {path} is full: nothing was written."
        " Delete files that are no longer needed, or choose another folder or drive",
    ),
    "file.folder_readonly": (
        "ຂຽນໃສ່ໂຟນເດີ {path} ບໍ່ໄດ້ (ອ່ານໄດ້ຢ່າງດຽວ ຫຼື ບໍ່ມີສິດ): ບໍ່ມີຫຍັງຖືກບັນທຶກ. ເລືອກໂຟນເດີອື່ນ ເຊັ່ນ Documents",
        "Cannot write in the folder {path} (read-only, or no permission): nothing was written."
        " Choose another folder, such as Documents",
    ),
    # printed documents
    "notice.nothing_missing": (
        "ຄຳຮ້ອງ {tracking} ບໍ່ຂາດເອກະສານ ແລະ ບໍ່ໄດ້ຢູ່ໃນສະຖານະເອກະສານບໍ່ຄົບ",
        "Request {tracking} lacks no document and is not marked incomplete",
    ),
    "notice.not_rejected": (
        "ຄຳຮ້ອງ {tracking} ບໍ່ໄດ້ຖືກປະຕິເສດ (ສະຖານະ: {status})",
        "Request {tracking} was not rejected (status: {status})",
    ),
    "notice.not_overdue": (
        "ຄຳຮ້ອງ {tracking} ບໍ່ກາຍກຳນົດ (ວັນນັດ {promised}, ສະຖານະ {status})",
        "Request {tracking} is not overdue (promised {promised}, status {status})",
    ),
    # a late request's new date (service_requests.record_new_date)
    "new_date.not_future": (
        "ວັນນັດໃໝ່ {day} ຕ້ອງຫຼັງຈາກມື້ນີ້ ({today}) ແລະ ວັນນັດເດີມ ({promised}): ບໍ່ມີຫຍັງຖືກບັນທຶກ",
        "The new date {day} must be after today ({today}) and the promised date ({promised}):"
        " nothing was recorded",
    ),
    "new_date.not_working_day": (
        "ວັນນັດໃໝ່ {day} ບໍ່ແມ່ນວັນເຮັດວຽກ (ວັນເສົາ-ອາທິດ, ວັນພັກ ຫຼື ວັນປິດຫ້ອງການ): ບໍ່ມີຫຍັງຖືກບັນທຶກ",
        "The new date {day} is not a working day (a weekend, a holiday or an office closure):"
        " nothing was recorded",
    ),
    "new_date.wrong_notice": (
        "ວັນນັດໃໝ່ ໃຊ້ໄດ້ກັບໃບແຈ້ງວັນນັດໃໝ່ (new-date) ເທົ່ານັ້ນ ບໍ່ແມ່ນ {kind}",
        "A new date goes only with the new-date notice, not {kind}",
    ),
    "export.range": (
        "ວັນທີສິ້ນສຸດຕ້ອງບໍ່ກ່ອນວັນທີເລີ່ມຕົ້ນ",
        "The end date must not be before the start date",
    ),
    "backup.verify_failed": (
        "ໄຟລ໌ສຳຮອງ {path} ກວດສອບບໍ່ຜ່ານ: {detail}",
        "The backup written to {path} failed its check: {detail}",
    ),
    "restore.damaged": ("ໄຟລ໌ສຳຮອງ {path} ເສຍຫາຍ", "The backup {path} is damaged"),
    "restore.encrypted": (
        "ໄຟລ໌ສຳຮອງ {path} ຖືກເຂົ້າລະຫັດ: ກູ້ຄືນດ້ວຍລະຫັດຂອງມັນ (ໄຟລ໌ → ກູ້ຄືນຈາກໄຟລ໌ສຳຮອງ…, ຫຼື ຄຳສັ່ງ odsc restore)",
        "The backup {path} is encrypted: restore it with its passphrase (File → Restore from a"
        " backup…, or `odsc restore`)",
    ),
    "restore.passphrase_wrong": (
        "ລະຫັດຂອງໄຟລ໌ສຳຮອງ {path} ບໍ່ຖືກຕ້ອງ",
        "Wrong passphrase for the backup {path}",
    ),
    "restore.not_store": (
        "{path} ບໍ່ແມ່ນໄຟລ໌ສຳຮອງຂອງ ODSC Desk",
        "{path} is not an ODSC Desk backup",
    ),
    "restore.other_counter": (
        "ໄຟລ໌ສຳຮອງນີ້ເປັນຂອງປ່ອງບໍລິການອື່ນ ({office})",
        "This backup belongs to another counter ({office})",
    ),
    # upgrades, automatic backups, the window lock (issue 6)
    "backup.failed": (
        "ສຳຮອງຂໍ້ມູນໃສ່ {path} ບໍ່ສຳເລັດ: {detail}. ຂໍ້ມູນຫຼັກບໍ່ໄດ້ຖືກແຕະຕ້ອງ",
        "The backup to {path} failed: {detail}. The store itself was not touched",
    ),
    "backup.target_full": (
        "ບ່ອນສຳຮອງ {path} ເຕັມ: ສຳເນົານີ້ບໍ່ໄດ້ຖືກຂຽນ. ເພີ່ມພື້ນທີ່ ຫຼື ໃຊ້ USB ອື່ນ",
        "The backup folder {path} is full: this copy was not written."
        " Free some space or use another drive",
    ),
    "backup.target_missing": (
        "ບໍ່ພົບບ່ອນສຳຮອງ {path} (ສຽບ USB ແລ້ວບໍ?): ສຳເນົານີ້ບໍ່ໄດ້ຖືກຂຽນ",
        "The backup folder {path} is not there (is the USB drive plugged in?):"
        " this copy was not written",
    ),
    "backup.target_readonly": (
        "ຂຽນໃສ່ບ່ອນສຳຮອງ {path} ບໍ່ໄດ້ (ອ່ານໄດ້ຢ່າງດຽວ): ສຳເນົານີ້ບໍ່ໄດ້ຖືກຂຽນ",
        "The backup folder {path} is read-only: this copy was not written",
    ),
    "backup.none": (
        "ຍັງບໍ່ມີການສຳຮອງຂໍ້ມູນອັດຕະໂນມັດເທື່ອ",
        "No automatic backup has been made yet",
    ),
    "backup.stale": (
        "ສຳຮອງຂໍ້ມູນຄັ້ງລ່າສຸດເມື່ອ {when}, {days} ມື້ກ່ອນ",
        "The last backup was made {when}, {days} days ago",
    ),
    "backup.second_missing": (
        "ບໍ່ພົບບ່ອນສຳຮອງທີສອງ {path}: ສຽບ USB ເຂົ້າ",
        "The second backup location {path} is missing: plug in the USB drive",
    ),
    "backup.second_unwritable": (
        "ຂຽນໃສ່ບ່ອນສຳຮອງທີສອງ {path} ບໍ່ໄດ້ (ອ່ານໄດ້ຢ່າງດຽວ ຫຼື ບໍ່ມີສິດ)",
        "Cannot write to the second backup location {path} (read-only or no permission)",
    ),
    "restore.newer": (
        "ໄຟລ໌ສຳຮອງ {path} ມາຈາກ ODSC Desk ລຸ້ນໃໝ່ກວ່າ ({migrations}): ອັບເດດໂປຣແກຣມກ່ອນ",
        "The backup {path} was made by a newer ODSC Desk ({migrations}): update this program first",
    ),
    "window.running": (
        "ODSC Desk ເປີດຢູ່ແລ້ວໃນຄອມພິວເຕີນີ້ ສຳລັບໂຟນເດີຂໍ້ມູນ {path} (ໂປຣແກຣມເລກ {pid}). ໃຊ້ໜ້າຈໍທີ່ເປີດຢູ່ແລ້ວ",
        "ODSC Desk is already open on this computer for the data folder {path} (process {pid})."
        " Use the window that is open",
    ),
    "store.upgrade_unverified": (
        "ອັບເກຣດໄຟລ໌ຂໍ້ມູນບໍ່ໄດ້: ບັນທຶກການກວດສອບເກົ່າບໍ່ຖືກຕ້ອງຢູ່ແຖວທີ {seq} ({detail}). ໄຟລ໌ຍັງຄືເກົ່າ: ຕິດຕໍ່ຝ່າຍຊ່ວຍເຫຼືອ",
        "The store cannot be upgraded: its old audit chain does not verify at row {seq}"
        " ({detail}). It was left as it was: call support",
    ),
    "store.corrupt": (
        "ໄຟລ໌ຂໍ້ມູນ {path} ເສຍຫາຍ: ກູ້ຄືນຈາກໄຟລ໌ສຳຮອງ",
        "The store {path} is damaged: restore it from a backup",
    ),
    "store.exists": ("ມີຂໍ້ມູນຢູ່ແລ້ວທີ່ {path}", "A store already exists at {path}"),
    "store.failed": (
        "ບັນທຶກຂໍ້ມູນໃສ່ {path} ບໍ່ໄດ້: {detail}",
        "The store {path} could not be used: {detail}",
    ),
    "store.foreign": ("{path} ບໍ່ແມ່ນໄຟລ໌ຂໍ້ມູນຂອງ ODSC Desk", "{path} is not an ODSC Desk store"),
    "store.full": (
        "ບ່ອນເກັບຂໍ້ມູນເຕັມ ({path}): ບໍ່ມີຫຍັງຖືກບັນທຶກ. ເພີ່ມພື້ນທີ່ແລ້ວລອງໃໝ່",
        "The disk is full ({path}): nothing was recorded. Free some space and try again",
    ),
    "store.io": ("ອ່ານ ຫຼື ຂຽນ {path} ບໍ່ໄດ້: {detail}", "Cannot read or write {path}: {detail}"),
    "store.locked": (
        "ຂໍ້ມູນ ({path}) ກຳລັງຖືກໃຊ້ໂດຍໂປຣແກຣມອື່ນ: ບໍ່ມີຫຍັງຖືກບັນທຶກ. ລອງໃໝ່",
        "The store ({path}) is busy in another program: nothing was recorded. Try again",
    ),
    "store.missing": (
        "ບໍ່ພົບຂໍ້ມູນທີ່ {path}: ຕັ້ງຄ່າປ່ອງບໍລິການກ່ອນ",
        "No store at {path}: set up the counter first",
    ),
    "store.newer": (
        "ໄຟລ໌ຂໍ້ມູນ {path} ມາຈາກ ODSC Desk ລຸ້ນໃໝ່ກວ່າ ({migrations}): ອັບເດດໂປຣແກຣມກ່ອນ",
        "{path} was made by a newer ODSC Desk ({migrations}): update this program first",
    ),
    "store.not_initialised": (
        "ຂໍ້ມູນທີ່ {path} ຍັງບໍ່ໄດ້ຕັ້ງຄ່າ: ຕັ້ງຄ່າປ່ອງບໍລິການກ່ອນ",
        "The store at {path} is not set up: set up the counter first",
    ),
    "store.readonly": (
        "ຂຽນໃສ່ {path} ບໍ່ໄດ້ (ອ່ານໄດ້ຢ່າງດຽວ): ບໍ່ມີຫຍັງຖືກບັນທຶກ",
        "{path} is read-only: nothing was recorded",
    ),
    # support: the log files and the `odsc diagnose` report
    "diagnose.integrity_failed": (
        "ການກວດສອບຂໍ້ມູນພົບບັນຫາ: ເບິ່ງ integrity.json ໃນລາຍງານ",
        "The integrity check found a problem: see integrity.json in the report",
    ),
    "diagnose.integrity_ok": (
        "ກວດສອບຂໍ້ມູນແລ້ວ: ບໍ່ພົບບັນຫາ",
        "Integrity check: no problem found",
    ),
    "diagnose.store_unreadable": (
        "ອ່ານໄຟລ໌ຂໍ້ມູນໄດ້ບໍ່ຄົບ: ລາຍງານບອກເຫດຜົນ, ພ້ອມດ້ວຍລຸ້ນໂປຣແກຣມ ແລະ ບັນທຶກການເຮັດວຽກ",
        "The store could not be read in full: the report says why, with the versions and logs",
    ),
    "diagnose.written": (
        "ບັນທຶກລາຍງານສຳລັບຝ່າຍຊ່ວຍເຫຼືອແລ້ວ: {path} ({size} ໄບຕ໌)",
        "Support report written: {path} ({size} bytes)",
    ),
    # An appointment slip's code (shared/slip_code.py).
    "slip_code.malformed": (
        "ນີ້ບໍ່ແມ່ນລະຫັດໃບນັດຮັບຜົນ ODSC",
        "This is not an ODSC appointment slip code",
    ),
    "slip_code.unknown_key": (
        "ລະຫັດໃບນັດອ້າງເຖິງກະແຈທີ່ບໍ່ຮູ້ຈັກ {key}",
        "The slip code names an unknown key {key}",
    ),
    "slip_code.key_mismatch": (
        "ກະແຈ {key} ບໍ່ກົງກັບລະຫັດຂອງມັນ",
        "Key {key} does not match its id",
    ),
    "slip_code.forged": (
        "ລາຍເຊັນບໍ່ກົງກັນ: ໃບນັດຖືກແກ້ໄຂ",
        "The signature does not match: the slip was altered",
    ),
    "log.unwritable": (
        "ຂຽນບັນທຶກການເຮັດວຽກໃສ່ {path} ບໍ່ໄດ້ ({detail}): ບັນຫາຕ່າງໆຈະສະແດງຢູ່ໜ້າຈໍແທນ",
        "Cannot write the log {path} ({detail}): problems are shown on the console instead",
    ),
    # The citizen's consent to messages about a request (intake).
    "sms.needs_phone": (
        "ຕ້ອງມີເບີໂທ ຈຶ່ງສົ່ງຂໍ້ຄວາມໄດ້",
        "A message needs a phone number",
    ),
    "sms.lang": (
        "ພາສາຂອງຂໍ້ຄວາມຕ້ອງເປັນ ລາວ (lo) ຫຼື ອັງກິດ (en)",
        "The messages' language must be Lao (lo) or English (en)",
    ),
    # the centre's public address (shared.public_link)
    "public_url.invalid": (
        "ທີ່ຢູ່ສາທາລະນະ {address} ບໍ່ຖືກຕ້ອງ: ຕ້ອງເປັນ https://ຊື່ເວັບ (ບໍ່ເກີນ 60 ຕົວອັກສອນ, ບໍ່ມີ ? ຫຼື #)",
        "The public address {address} is not valid: it must be https://host (at most 60"
        " characters, no ? or #)",
    ),
    # the national calendar of public holidays and closures (odsc_desk/shared/calendar_file.py)
    "calendar.field": (
        "ໄຟລ໌ປະຕິທິນວັນພັກຜິດຢູ່ {where}: ຂາດຂໍ້ມູນ ຫຼື ບໍ່ແມ່ນຂໍ້ຄວາມ",
        "The calendar file is wrong at {where}: a value is missing or not text",
    ),
    "calendar.date": (
        "ໄຟລ໌ປະຕິທິນວັນພັກຜິດຢູ່ {where}: {value} ບໍ່ແມ່ນວັນທີແບບ YYYY-MM-DD",
        "The calendar file is wrong at {where}: {value} is not a date written YYYY-MM-DD",
    ),
    "calendar.version": (
        "ສະບັບຂອງປະຕິທິນວັນພັກຕ້ອງເປັນຕົວເລກເຕັມ 1 ຫາ {limit}",
        "The calendar's version must be a whole number from 1 to {limit}",
    ),
    "calendar.years": (
        "ປີຂອງປະຕິທິນວັນພັກຕ້ອງມີ 1 ຫາ {most} ປີ ບໍ່ຊ້ຳກັນ ແຕ່ {first} ຫາ {last}",
        "The calendar's years must list 1 to {most} different years from {first} to {last}",
    ),
    "calendar.outside": (
        "ວັນທີ {day} ບໍ່ຢູ່ໃນປີຂອງປະຕິທິນ ({years})",
        "The day {day} is outside the calendar's years ({years})",
    ),
    "calendar.kind": (
        "ໄຟລ໌ປະຕິທິນວັນພັກຜິດຢູ່ {where}: ຕ້ອງເປັນ holiday (ວັນພັກ) ຫຼື closure (ວັນປິດທົ່ວປະເທດ)",
        "The calendar file is wrong at {where}: it must be holiday or closure",
    ),
    "calendar.weekend": (
        "ວັນທີ {day} ແມ່ນວັນເສົາ ຫຼື ວັນອາທິດ: ວັນປິດທົ່ວປະເທດຕ້ອງແມ່ນວັນເຮັດວຽກ",
        "{day} is a Saturday or Sunday: a national closure must fall on a weekday",
    ),
    "calendar.duplicate": (
        "ວັນທີ {day} ມີຢູ່ໃນປະຕິທິນສອງເທື່ອ",
        "The day {day} is listed twice in the calendar",
    ),
    "calendar.version_clash": (
        "ປະຕິທິນວັນພັກສະບັບ {version} ມີຢູ່ແລ້ວ ແຕ່ເນື້ອໃນຕ່າງກັນ",
        "Calendar version {version} is already here with different content",
    ),
    "calendar.version_old": (
        "ປະຕິທິນວັນພັກສະບັບ {version} ເກົ່າກວ່າສະບັບປັດຈຸບັນ {current}",
        "Calendar version {version} is older than the current version {current}",
    ),
    "calendar.unreadable": (
        "ອ່ານໄຟລ໌ປະຕິທິນວັນພັກ {path} ບໍ່ໄດ້: {detail}",
        "Cannot read the calendar file {path}: {detail}",
    ),
}


def render(
    code: str, /, catalog: Mapping[str, tuple[str, str]] = MESSAGES, **params: Any
) -> tuple[str, str]:
    """Both languages for `code` in `catalog` (the core's messages unless a package brings its
    own, as the sync client does); an unknown code still yields something readable."""
    lo, en = catalog.get(code, (code, code))
    try:
        return lo.format(**params), en.format(**params)
    except (KeyError, IndexError):
        return lo, en
