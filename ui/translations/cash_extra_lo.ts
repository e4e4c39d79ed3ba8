<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>CloseSessionDialog</name>
    <message>
        <source>Difference: count the notes in the drawer</source>
        <translation>ສ່ວນຕ່າງ: ນັບທະນະບັດໃນລິ້ນຊັກ</translation>
    </message>
    <message>
        <source>Give the reason for the difference.</source>
        <translation>ກະລຸນາໃສ່ເຫດຜົນຂອງສ່ວນຕ່າງ.</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <source>{note} notes</source>
        <translation>ທະນະບັດ {note} (ໃບ)</translation>
    </message>
    <message>
        <source>Coins and other cash (kip)</source>
        <translation>ຫຼຽນ ແລະ ເງິນສົດອື່ນໆ (ກີບ)</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>ເງິນສົດທີ່ນັບໄດ້</translation>
    </message>
    <message>
        <source>Reason for the difference (needed when there is one)</source>
        <translation>ເຫດຜົນຂອງສ່ວນຕ່າງ (ຕ້ອງໃສ່ເມື່ອມີສ່ວນຕ່າງ)</translation>
    </message>
</context>
<context>
    <name>DrawerStep</name>
    <message>
        <source>No cash session is open. Open one to take this payment.</source>
        <translation>ຍັງບໍ່ໄດ້ເປີດຮອບເງິນສົດ. ເປີດຮອບກ່ອນ ເພື່ອຮັບເງິນລາຍການນີ້.</translation>
    </message>
    <message>
        <source>The cash session of {date} is still open. Count and close it, then open today's.</source>
        <translation>ຮອບເງິນສົດວັນທີ {date} ຍັງເປີດຢູ່. ນັບເງິນ ແລະ ປິດຮອບນັ້ນກ່ອນ, ແລ້ວເປີດຮອບຂອງມື້ນີ້.</translation>
    </message>
    <message>
        <source>&amp;Float in the drawer (kip)</source>
        <translation>ເງິນສົດເລີ່ມຕົ້ນໃນລິ້ນຊັກ (ກີບ) (&amp;F)</translation>
    </message>
    <message>
        <source>Open the session (Enter)</source>
        <translation>ເປີດຮອບ (Enter)</translation>
    </message>
    <message>
        <source>Count and close it… (Enter)</source>
        <translation>ນັບເງິນ ແລະ ປິດຮອບ… (Enter)</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>{amount} short</source>
        <translation>ຍັງຂາດ {amount}</translation>
    </message>
    <message>
        <source>Fee {fee} · paid {paid} · due {due}</source>
        <translation>ຄ່າທຳນຽມ {fee} · ຈ່າຍແລ້ວ {paid} · ຍັງຕ້ອງຈ່າຍ {due}</translation>
    </message>
    <message>
        <source>Bank &amp;reference</source>
        <translation>ເລກອ້າງອີງທະນາຄານ (&amp;R)</translation>
    </message>
    <message>
        <source>Recommended: the reference on the slip</source>
        <translation>ແນະນຳໃຫ້ໃສ່: ເລກອ້າງອີງໃນໃບໂອນ</translation>
    </message>
    <message>
        <source>Quick tender</source>
        <translation>ຮັບເງິນດ່ວນ</translation>
    </message>
</context>
<context>
    <name>QuickTender</name>
    <message>
        <source>{key} Exact {amount}</source>
        <translation>{key} ພໍດີ {amount}</translation>
    </message>
    <message>
        <source>{key} {amount}</source>
        <translation>{key} {amount}</translation>
    </message>
</context>
</TS>
