<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>CounterStatusBar</name>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation><numerusform>%n ມື້ກ່ອນ</numerusform><numerusform>%n ມື້ກ່ອນ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation><numerusform>%n ຊົ່ວໂມງກ່ອນ</numerusform><numerusform>%n ຊົ່ວໂມງກ່ອນ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation><numerusform>%n ນາທີກ່ອນ</numerusform><numerusform>%n ນາທີກ່ອນ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n held back by the centre</source>
        <translation><numerusform>%n ລາຍການຖືກສູນກາງປະຕິເສດ</numerusform><numerusform>%n ລາຍການຖືກສູນກາງປະຕິເສດ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Not connected to a centre · %n waiting to sync</source>
        <translation><numerusform>ຍັງບໍ່ໄດ້ເຊື່ອມຕໍ່ກັບສູນກາງ · %n ລາຍການລໍຖ້າສົ່ງ</numerusform><numerusform>ຍັງບໍ່ໄດ້ເຊື່ອມຕໍ່ກັບສູນກາງ · %n ລາຍການລໍຖ້າສົ່ງ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Not enrolled with a centre: an admin enrolls this counter · %n waiting</source>
        <translation><numerusform>ຍັງບໍ່ໄດ້ລົງທະບຽນກັບສູນກາງ: ຜູ້ດູແລລະບົບຕ້ອງລົງທະບຽນປ່ອງນີ້ · %n ລາຍການລໍຖ້າ</numerusform><numerusform>ຍັງບໍ່ໄດ້ລົງທະບຽນກັບສູນກາງ: ຜູ້ດູແລລະບົບຕ້ອງລົງທະບຽນປ່ອງນີ້ · %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Not synced yet · %n waiting</source>
        <translation><numerusform>ຍັງບໍ່ທັນໄດ້ສົ່ງຂໍ້ມູນ · %n ລາຍການລໍຖ້າ</numerusform><numerusform>ຍັງບໍ່ທັນໄດ້ສົ່ງຂໍ້ມູນ · %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Offline, %n waiting</source>
        <translation><numerusform>ບໍ່ມີເຄືອຂ່າຍ, %n ລາຍການລໍຖ້າ</numerusform><numerusform>ບໍ່ມີເຄືອຂ່າຍ, %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sending {sent} of %n to the centre…</source>
        <translation><numerusform>ກຳລັງສົ່ງ {sent} ຈາກ %n ລາຍການໄປສູນກາງ…</numerusform><numerusform>ກຳລັງສົ່ງ {sent} ຈາກ %n ລາຍການໄປສູນກາງ…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sync failed, %n waiting</source>
        <translation><numerusform>ສົ່ງຂໍ້ມູນບໍ່ສຳເລັດ, %n ລາຍການລໍຖ້າ</numerusform><numerusform>ສົ່ງຂໍ້ມູນບໍ່ສຳເລັດ, %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Synced {ago} · %n waiting</source>
        <translation><numerusform>ສົ່ງຂໍ້ມູນແລ້ວ {ago} · %n ລາຍການລໍຖ້າ</numerusform><numerusform>ສົ່ງຂໍ້ມູນແລ້ວ {ago} · %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Syncing… · %n waiting</source>
        <translation><numerusform>ກຳລັງສົ່ງຂໍ້ມູນ… · %n ລາຍການລໍຖ້າ</numerusform><numerusform>ກຳລັງສົ່ງຂໍ້ມູນ… · %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The centre is not answering, %n waiting</source>
        <translation><numerusform>ສູນກາງບໍ່ຕອບ, %n ລາຍການລໍຖ້າ</numerusform><numerusform>ສູນກາງບໍ່ຕອບ, %n ລາຍການລໍຖ້າ</numerusform></translation>
    </message>
</context>
<context>
    <name>DocumentChecklist</name>
    <message>
        <source>All documents received (Alt+A)</source>
        <translation>ໄດ້ຮັບເອກະສານຄົບທຸກຢ່າງ (Alt+A)</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <source>Change {change}</source>
        <translation>ເງິນທອນ {change}</translation>
    </message>
    <message numerus="yes">
        <source>Documents missing: %n of {total}. Save the request as incomplete, or go back and tick what the citizen handed in (Alt+A: all).</source>
        <translation><numerusform>ເອກະສານຍັງຂາດ %n ຈາກ {total} ຢ່າງ. ບັນທຶກຄຳຮ້ອງເປັນເອກະສານບໍ່ຄົບ, ຫຼື ກັບໄປໝາຍເອກະສານທີ່ປະຊາຊົນຍື່ນມາ (Alt+A: ໝາຍທັງໝົດ).</numerusform><numerusform>ເອກະສານຍັງຂາດ %n ຈາກ {total} ຢ່າງ. ບັນທຶກຄຳຮ້ອງເປັນເອກະສານບໍ່ຄົບ, ຫຼື ກັບໄປໝາຍເອກະສານທີ່ປະຊາຊົນຍື່ນມາ (Alt+A: ໝາຍທັງໝົດ).</numerusform></translation>
    </message>
    <message>
        <source>Go back (Esc)</source>
        <translation>ກັບຄືນ (Esc)</translation>
    </message>
    <message>
        <source>Paid, receipt {receipt}</source>
        <translation>ຮັບເງິນແລ້ວ, ໃບຮັບເງິນ {receipt}</translation>
    </message>
    <message>
        <source>Print the missing-documents notice (Ctrl+Shift+P)</source>
        <translation>ພິມໃບແຈ້ງເອກະສານທີ່ຍັງຂາດ (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Save as incomplete (Ctrl+S)</source>
        <translation>ບັນທຶກເປັນເອກະສານບໍ່ຄົບ (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save as incomplete and take payment (Ctrl+Enter)</source>
        <translation>ບັນທຶກເປັນເອກະສານບໍ່ຄົບ ແລະ ຮັບເງິນ (Ctrl+Enter)</translation>
    </message>
    <message numerus="yes">
        <source>Saved as incomplete, documents missing: %n. Tracking number: {tracking}</source>
        <translation><numerusform>ບັນທຶກແລ້ວເປັນເອກະສານບໍ່ຄົບ, ຍັງຂາດ %n ຢ່າງ. ເລກຕິດຕາມ: {tracking}</numerusform><numerusform>ບັນທຶກແລ້ວເປັນເອກະສານບໍ່ຄົບ, ຍັງຂາດ %n ຢ່າງ. ເລກຕິດຕາມ: {tracking}</numerusform></translation>
    </message>
</context>
<context>
    <name>RequestRecord</name>
    <message>
        <source>refunded {amount}</source>
        <translation>ຄືນເງິນ {amount}</translation>
    </message>
    <message>
        <source>{receipt} · {amount} · {method} · {at} · {by}</source>
        <translation>{receipt} · {amount} · {method} · {at} · {by}</translation>
    </message>
</context>
<context>
    <name>RequestStatus</name>
    <message>
        <source>Received</source>
        <translation>ຮັບຄຳຮ້ອງແລ້ວ</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>ເອກະສານບໍ່ຄົບ</translation>
    </message>
    <message>
        <source>In process</source>
        <translation>ກຳລັງດຳເນີນການ</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>ພ້ອມໃຫ້ມາຮັບ</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>ສົ່ງຜົນໃຫ້ແລ້ວ</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>ຖືກປະຕິເສດ</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>ຖອນຄຳຮ້ອງແລ້ວ</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <source>Attention</source>
        <translation>ຕ້ອງເອົາໃຈໃສ່</translation>
    </message>
    <message>
        <source>Documents missing</source>
        <translation>ເອກະສານຍັງຂາດ</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>ກາຍວັນນັດ</translation>
    </message>
    <message>
        <source>Unpaid {amount}</source>
        <translation>ຍັງບໍ່ຈ່າຍ {amount}</translation>
    </message>
</context>
<context>
    <name>RequestsView</name>
    <message numerus="yes">
        <source>Showing the newest %n of more requests: type more to narrow the search</source>
        <translation><numerusform>ສະແດງ %n ຄຳຮ້ອງລ່າສຸດ ຈາກທີ່ພົບຫຼາຍກວ່ານີ້: ພິມເພີ່ມເພື່ອຄົ້ນຫາໃຫ້ແຄບລົງ</numerusform><numerusform>ສະແດງ %n ຄຳຮ້ອງລ່າສຸດ ຈາກທີ່ພົບຫຼາຍກວ່ານີ້: ພິມເພີ່ມເພື່ອຄົ້ນຫາໃຫ້ແຄບລົງ</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n in the list</source>
        <translation><numerusform>%n ຄຳຮ້ອງ</numerusform><numerusform>%n ຄຳຮ້ອງ</numerusform></translation>
    </message>
</context>
<context>
    <name>ServiceSummary</name>
    <message numerus="yes">
        <source>working days: %n</source>
        <translation><numerusform>%n ວັນລັດຖະການ</numerusform><numerusform>%n ວັນລັດຖະການ</numerusform></translation>
    </message>
</context>
<context>
    <name>StandardButton</name>
    <message>
        <source>OK</source>
        <translation>ຕົກລົງ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>ແມ່ນ (&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>ບໍ່ (&amp;N)</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>ແມ່ນທັງໝົດ (&amp;A)</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>ບໍ່ທັງໝົດ (&amp;O)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>ບັນທຶກ</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>ບັນທຶກທັງໝົດ</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>ເປີດ</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>ຖິ້ມ</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>ນຳໃຊ້</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>ຕັ້ງຄືນ</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>ກັບຄືນຄ່າເລີ່ມຕົ້ນ</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>ຊ່ວຍເຫຼືອ</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>ຢຸດ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>ລອງໃໝ່</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>ຂ້າມ</translation>
    </message>
</context>
</TS>
