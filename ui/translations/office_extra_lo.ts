<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>RequestDetail</name>
    <message>
        <source>Taken at counter {counter}: shown here, served there. As of {time}.</source>
        <translation>ຮັບຢູ່ປ່ອງ {counter}: ເບິ່ງໄດ້ຢູ່ນີ້, ບໍລິການຢູ່ປ່ອງນັ້ນ. ຂໍ້ມູນເຖິງ {time}.</translation>
    </message>
    <message>
        <source>Taken at counter {counter}: its status and payments can be done here too. As of {time}.</source>
        <translation>ຮັບຢູ່ປ່ອງ {counter}: ປ່ຽນສະຖານະ ແລະ ຮັບເງິນຢູ່ນີ້ກໍ່ໄດ້. ຂໍ້ມູນເຖິງ {time}.</translation>
    </message>
</context>
<context>
    <name>OfficeTab</name>
    <message>
        <source>Counter</source>
        <translation>ປ່ອງບໍລິການ</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>ຄຳຮ້ອງ</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>ການຈ່າຍເງິນ</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>ລາຍຮັບລວມ</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>ຄືນເງິນ</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>ລາຍຮັບສຸດທິ</translation>
    </message>
    <message>
        <source>Nothing from the other counters yet: sync first.</source>
        <translation>ຍັງບໍ່ມີຂໍ້ມູນຈາກປ່ອງອື່ນ: ຕ້ອງຊິ້ງກ່ອນ.</translation>
    </message>
    <message>
        <source>Office data as of {time}.</source>
        <translation>ຂໍ້ມູນຂອງຫ້ອງການເຖິງ {time}.</translation>
    </message>
    <message>
        <source>{counter} (this counter)</source>
        <translation>{counter} (ປ່ອງນີ້)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>ລວມ</translation>
    </message>
    <message>
        <source>Impossible histories, {first} to {last}</source>
        <translation>ປະຫວັດທີ່ເປັນໄປບໍ່ໄດ້, {first} ຫາ {last}</translation>
    </message>
    <message>
        <source>Contested: {tracking} (counter {counter}, now {status}): {wanted} at counter {by}, {time}.</source>
        <translation>ຂັດກັນ: {tracking} (ປ່ອງ {counter}, ດຽວນີ້ {status}): {wanted} ທີ່ປ່ອງ {by}, {time}.</translation>
    </message>
    <message>
        <source>Contested: {tracking} (counter {counter}, now {status}): {wanted} at counter {by}, {time}, after {before} at counter {before_by}, {before_time}.</source>
        <translation>ຂັດກັນ: {tracking} (ປ່ອງ {counter}, ດຽວນີ້ {status}): {wanted} ທີ່ປ່ອງ {by}, {time}, ຫຼັງຈາກ {before} ທີ່ປ່ອງ {before_by}, {before_time}.</translation>
    </message>
    <message>
        <source>{receipt} (counter {counter}, {amount})</source>
        <translation>{receipt} (ປ່ອງ {counter}, {amount})</translation>
    </message>
    <message>
        <source>Paid beyond the fee: {tracking}, fee {fee}, paid {paid}: {receipts}.</source>
        <translation>ຈ່າຍເກີນຄ່າທຳນຽມ: {tracking}, ຄ່າທຳນຽມ {fee}, ຈ່າຍແລ້ວ {paid}: {receipts}.</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>ບໍ່ມີ.</translation>
    </message>
    <message>
        <source>Print office summary</source>
        <translation>ພິມລາຍງານຂອງຫ້ອງການ</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <source>Office</source>
        <translation>ຫ້ອງການ</translation>
    </message>
</context>
<context>
    <name>PrintStatus</name>
    <message>
        <source>Office summary of {name}</source>
        <translation>ລາຍງານຂອງຫ້ອງການ ວັນທີ {name}</translation>
    </message>
</context>
</TS>
