<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>IntakeForm</name>
    <message>
        <source>Text &amp;message to this phone (citizen agreed)</source>
        <translation>ສົ່ງຂໍ້ຄວາມຫາເບີນີ້ (ຜູ້ຍື່ນຕົກລົງແລ້ວ) (&amp;M)</translation>
    </message>
    <message>
        <source>The centre sends one message when the request is ready, one each time documents are missing, and one when a late request is given a new date. Tick only when the citizen says yes.</source>
        <translation>ສູນຈະສົ່ງຂໍ້ຄວາມໜຶ່ງຄັ້ງເມື່ອຄຳຮ້ອງພ້ອມແລ້ວ, ທຸກຄັ້ງທີ່ເອກະສານຍັງຂາດ ແລະ ເມື່ອຄຳຮ້ອງທີ່ຊ້າໄດ້ຮັບວັນນັດໃໝ່. ໃຫ້ໝາຍສະເພາະເມື່ອຜູ້ຍື່ນຕອບວ່າຕົກລົງເທົ່ານັ້ນ.</translation>
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
