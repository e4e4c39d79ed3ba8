<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>IntakeForm</name>
    <message>
        <source>Text &amp;message to this phone when ready or documents missing (citizen agreed)</source>
        <translation>ສົ່ງຂໍ້ຄວາມຫາເບີນີ້ ເມື່ອພ້ອມ ຫຼື ຂາດເອກະສານ (ຜູ້ຍື່ນຕົກລົງແລ້ວ) (&amp;M)</translation>
    </message>
    <message>
        <source>in Lao</source>
        <translation>ເປັນພາສາລາວ</translation>
    </message>
    <message>
        <source>in English</source>
        <translation>ເປັນພາສາອັງກິດ</translation>
    </message>
    <message>
        <source>Language of the messages</source>
        <translation>ພາສາຂອງຂໍ້ຄວາມ</translation>
    </message>
</context>
</TS>
