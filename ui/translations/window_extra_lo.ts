<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>MainWindow</name>
    <message>
        <source>Tick all documents received</source>
        <translation>ໝາຍວ່າໄດ້ຮັບເອກະສານຄົບທຸກຢ່າງ</translation>
    </message>
    <message>
        <source>Cash handed over: the exact amount</source>
        <translation>ເງິນສົດທີ່ຮັບມາ: ພໍດີກັບຈຳນວນທີ່ຕ້ອງຈ່າຍ</translation>
    </message>
    <message>
        <source>Cash handed over: the next round sums in notes</source>
        <translation>ເງິນສົດທີ່ຮັບມາ: ຍອດເງິນເຕັມຖັດໄປເປັນໃບ</translation>
    </message>
    <message>
        <source>Record the payment</source>
        <translation>ບັນທຶກການຈ່າຍເງິນ</translation>
    </message>
</context>
<context>
    <name>CloseSessionDialog</name>
    <message numerus="yes">
        <source>Records not yet at the centre: %n. You can close the day; they will be sent when the network is back.</source>
        <translation>
            <numerusform>ລາຍການທີ່ຍັງບໍ່ທັນຮອດສູນກາງ: %n. ທ່ານປິດມື້ໄດ້; ລາຍການເຫຼົ່ານັ້ນຈະຖືກສົ່ງເມື່ອເຄືອຂ່າຍກັບມາ.</numerusform>
            <numerusform>ລາຍການທີ່ຍັງບໍ່ທັນຮອດສູນກາງ: %n. ທ່ານປິດມື້ໄດ້; ລາຍການເຫຼົ່ານັ້ນຈະຖືກສົ່ງເມື່ອເຄືອຂ່າຍກັບມາ.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrintStatus</name>
    <message>
        <source>Missing-documents notice {name}</source>
        <translation>ໃບແຈ້ງເອກະສານທີ່ຍັງຂາດ {name}</translation>
    </message>
</context>
</TS>
