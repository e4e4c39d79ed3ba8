<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>RequestDetail</name>
    <message>
        <source>Print missing-documents notice</source>
        <translation>ພິມໃບແຈ້ງເອກະສານທີ່ຍັງຂາດ</translation>
    </message>
    <message>
        <source>Print refusal notice</source>
        <translation>ພິມໃບແຈ້ງປະຕິເສດຄຳຮ້ອງ</translation>
    </message>
    <message>
        <source>Print new date notice…</source>
        <translation>ພິມໃບແຈ້ງວັນນັດໃໝ່…</translation>
    </message>
    <message>
        <source>Print notice</source>
        <translation>ພິມໃບແຈ້ງ</translation>
    </message>
</context>
<context>
    <name>NewDateDialog</name>
    <message>
        <source>New date for {tracking}</source>
        <translation>ວັນນັດໃໝ່ຂອງຄຳຮ້ອງ {tracking}</translation>
    </message>
    <message>
        <source>{tracking} is late. Give the citizen a new date: the notice tells it, and the centre tells a citizen who agreed to messages.</source>
        <translation>ຄຳຮ້ອງ {tracking} ຊ້າກວ່າວັນນັດ. ກະລຸນາໃຫ້ວັນນັດໃໝ່ແກ່ຜູ້ຍື່ນ: ໃບແຈ້ງຈະບອກວັນນີ້ ແລະ ສູນຈະແຈ້ງຜູ້ຍື່ນທີ່ຕົກລົງຮັບຂໍ້ຄວາມ.</translation>
    </message>
    <message>
        <source>&amp;New date</source>
        <translation>ວັນນັດໃໝ່ (&amp;N)</translation>
    </message>
</context>
</TS>
