"""The sync client's messages, in Lao and in English, keyed by a stable code (`SyncError`).

Kept beside the client rather than in the core's catalog: only the sync speaks of servers,
tokens and enrollment codes. Placeholders are `{name}`; tests/core/test_messages.py checks both
languages use the same ones.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "sync.bad_reply": (
        "ອ່ານຄຳຕອບຂອງເຊີບເວີ {server} ບໍ່ໄດ້: ບໍ່ໄດ້ບັນທຶກຫຍັງ ({detail})",
        "The reply of {server} could not be read: nothing was recorded ({detail})",
    ),
    "sync.busy": (
        "ເຊີບເວີ {server} ຫຍຸ້ງຢູ່ (HTTP {status}): ຈະລອງໃໝ່ພາຍຫຼັງ",
        "The server {server} is busy (HTTP {status}): it will be tried again later",
    ),
    "sync.ca_bundle_missing": (
        "ບໍ່ພົບໄຟລ໌ໃບຢັ້ງຢືນ CA {path}",
        "CA bundle file not found: {path}",
    ),
    "sync.code_invalid": (
        "ລະຫັດລົງທະບຽນບໍ່ຖືກຕ້ອງ: ພິມລະຫັດທີ່ສູນກາງໃຫ້ມາ",
        "The enrollment code is not valid: type the code the centre gave you",
    ),
    "sync.enroll_expired": (
        "ລະຫັດລົງທະບຽນນີ້ໝົດອາຍຸແລ້ວ: ຂໍລະຫັດໃໝ່ຈາກສູນກາງ",
        "This enrollment code has expired: ask the centre for a new one",
    ),
    "sync.enroll_mismatch": (
        "ລະຫັດລົງທະບຽນນີ້ເປັນຂອງຫ້ອງການ ຫຼື ປ່ອງອື່ນ, ບໍ່ແມ່ນ {office}-{counter}",
        "This enrollment code is for another office or counter, not {office}-{counter}",
    ),
    "sync.enroll_proof": (
        "ເຄື່ອງນີ້ພິສູດບໍ່ໄດ້ວ່າແມ່ນເຄື່ອງທີ່ໃຊ້ລະຫັດລົງທະບຽນນີ້ແລ້ວ: ຂໍລະຫັດໃໝ່ຈາກສູນກາງ",
        "This computer could not prove it is the one that used this enrollment code: ask the"
        " centre for a new one",
    ),
    "sync.enroll_rate_limited": (
        "ມີການພິມລະຫັດລົງທະບຽນຜິດຫຼາຍເທື່ອເກີນໄປຈາກເຄືອຂ່າຍນີ້: ລອງໃໝ່ໃນອີກ {minutes} ນາທີ",
        "Too many wrong enrollment codes from this network: try again in {minutes} min",
    ),
    "sync.enroll_spent": (
        "ລະຫັດລົງທະບຽນນີ້ຖືກໃຊ້ແລ້ວ ແລະ ໃຊ້ຄືນອີກບໍ່ໄດ້: ຂໍລະຫັດໃໝ່ຈາກສູນກາງ",
        "This enrollment code was already used and cannot be used again: ask the centre for a"
        " new one",
    ),
    "sync.enroll_unknown": (
        "ສູນກາງບໍ່ຮູ້ຈັກລະຫັດລົງທະບຽນນີ້: ກວດເບິ່ງລະຫັດອີກຄັ້ງ",
        "The centre does not know this enrollment code: check it",
    ),
    "sync.enroll_used": (
        "ລະຫັດລົງທະບຽນນີ້ຖືກໃຊ້ກັບເຄື່ອງອື່ນແລ້ວ: ຂໍລະຫັດໃໝ່ຈາກສູນກາງ",
        "This enrollment code was already used by another device: ask the centre for a new one",
    ),
    "sync.http_not_local": (
        "ບໍ່ອະນຸຍາດໃຫ້ສົ່ງຂໍ້ມູນແບບບໍ່ເຂົ້າລະຫັດ (http://) ໄປຫາ {host}: ໃຊ້ https://",
        "Plain http:// is allowed only to this computer, not to {host}: use https://",
    ),
    "sync.not_enrolled": (
        "ປ່ອງບໍລິການນີ້ຍັງບໍ່ໄດ້ລົງທະບຽນກັບສູນກາງ: ຜູ້ດູແລລະບົບຂໍລະຫັດຈາກສູນກາງ ແລ້ວລົງທະບຽນດ້ວຍ"
        " odsc sync enroll --server URL --code CODE",
        "This counter is not enrolled with a centre: an admin gets a code from the centre and"
        " enrolls it with odsc sync enroll --server URL --code CODE",
    ),
    "sync.not_server": (
        "{server} ບໍ່ແມ່ນເຊີບເວີຂອງສູນກາງ ODSC (HTTP {status}): ກວດເບິ່ງທີ່ຢູ່",
        "{server} is not an ODSC centre (HTTP {status}): check the address",
    ),
    "sync.server_down": (
        "ເຊີບເວີ {server} ບໍ່ຕອບ: ເຄືອຂ່າຍໃຊ້ໄດ້ ແຕ່ໂປຣແກຣມຂອງສູນກາງອາດຈະປິດຢູ່. ບໍ່ມີຂໍ້ມູນໃດເສຍ:"
        " ທຸກຢ່າງຍັງລໍຖ້າຢູ່ໃນເຄື່ອງນີ້ ແລະ ຈະສົ່ງເມື່ອສູນກາງກັບມາ",
        "The centre {server} is not answering: the network works, but the centre's program may"
        " be stopped. Nothing is lost: everything waits on this computer until it is back",
    ),
    "sync.offline": (
        "ຕິດຕໍ່ເຊີບເວີ {server} ບໍ່ໄດ້ ({detail}). ບໍ່ມີຂໍ້ມູນໃດເສຍ: ທຸກຢ່າງຍັງລໍຖ້າຢູ່ໃນເຄື່ອງນີ້ ແລະ ຈະສົ່ງໃນຄັ້ງຕໍ່ໄປ",
        "Cannot reach the server {server} ({detail}). Nothing is lost: everything waits on this"
        " computer for the next sync",
    ),
    "sync.reference_invalid": (
        "ລາຍການບໍລິການຈາກສູນກາງໃຊ້ບໍ່ໄດ້ ({detail}): ຍັງໃຊ້ສະບັບເກົ່າຢູ່",
        "The catalog from the centre cannot be used ({detail}): the old version is kept",
    ),
    "sync.reference_mismatch": (
        "ລາຍການບໍລິການທີ່ດາວໂຫຼດມາບໍ່ຄົບ ຫຼື ເສຍຫາຍ (sha256 ບໍ່ກົງກັນ): ຍັງໃຊ້ສະບັບເກົ່າຢູ່",
        "The catalog download was incomplete or damaged (sha256 mismatch): the old version is kept",
    ),
    "sync.refused": (
        "ສູນກາງປະຕິເສດ (HTTP {status}, {problem}): {detail}",
        "The centre refused (HTTP {status}, {problem}): {detail}",
    ),
    "sync.server_error": (
        "ເຊີບເວີ {server} ມີບັນຫາ (HTTP {status}). ບໍ່ມີຂໍ້ມູນໃດເສຍ: ຈະສົ່ງໃນຄັ້ງຕໍ່ໄປ",
        "The server {server} failed (HTTP {status}). Nothing is lost: it will be sent next time",
    ),
    "sync.timeout": (
        "ເຊີບເວີ {server} ບໍ່ຕອບພາຍໃນເວລາ. ບໍ່ມີຂໍ້ມູນໃດເສຍ: ຈະສົ່ງໃນຄັ້ງຕໍ່ໄປ",
        "The server {server} did not answer in time. Nothing is lost: it will be sent next time",
    ),
    "sync.tls": (
        "ກວດສອບໃບຢັ້ງຢືນຄວາມປອດໄພຂອງ {server} ບໍ່ຜ່ານ: ບໍ່ໄດ້ສົ່ງຫຍັງ ({detail})",
        "The certificate of {server} could not be verified: nothing was sent ({detail})",
    ),
    "sync.unauthorized": (
        "ສູນກາງບໍ່ຮັບລະຫັດເຂົ້າຂອງປ່ອງນີ້ (ຖືກຍົກເລີກ ຫຼື ບໍ່ຮູ້ຈັກ): ລົງທະບຽນໃໝ່ດ້ວຍລະຫັດໃໝ່",
        "The centre does not accept this counter's token (revoked or unknown): enroll again"
        " with a new code",
    ),
    "sync.url_invalid": (
        "ທີ່ຢູ່ເຊີບເວີ {url} ບໍ່ຖືກຕ້ອງ: ໃຊ້ແບບ https://ຊື່ເຊີບເວີ",
        "{url} is not a server address: use https://server-name",
    ),
    # the office's feed (sync/office_pull.py)
    "sync.office_invalid": (
        "ຂໍ້ມູນຂອງປ່ອງອື່ນໃນຫ້ອງການທີ່ໄດ້ຮັບຈາກສູນກາງໃຊ້ບໍ່ໄດ້ ({detail}): ບໍ່ໄດ້ບັນທຶກຫຍັງ, ຈະລອງໃໝ່ໃນຄັ້ງຕໍ່ໄປ",
        "The office's records from the centre cannot be read ({detail}): nothing was kept; it"
        " will be tried again next time",
    ),
    # the national calendar (sync/calendar_pull.py)
    "sync.calendar_invalid": (
        "ປະຕິທິນວັນພັກຈາກສູນກາງໃຊ້ບໍ່ໄດ້ ({detail}): ຍັງໃຊ້ສະບັບເກົ່າຢູ່",
        "The holiday calendar from the centre cannot be used ({detail}): the old one is kept",
    ),
    "sync.calendar_mismatch": (
        "ປະຕິທິນວັນພັກທີ່ດາວໂຫຼດມາບໍ່ຄົບ ຫຼື ເສຍຫາຍ (sha256 ບໍ່ກົງກັນ): ຍັງໃຊ້ສະບັບເກົ່າຢູ່",
        "The holiday calendar download was incomplete or damaged (sha256 mismatch): the old one"
        " is kept",
    ),
}
