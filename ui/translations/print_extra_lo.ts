<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Receipt printer</source>
        <translation>ເຄື່ອງພິມໃບຮັບເງິນ</translation>
    </message>
    <message>
        <source>A4 printer (daily summary)</source>
        <translation>ເຄື່ອງພິມເຈ້ຍ A4 (ລາຍງານປະຈຳວັນ)</translation>
    </message>
    <message>
        <source>Same as the receipt printer</source>
        <translation>ເຄື່ອງດຽວກັບເຄື່ອງພິມໃບຮັບເງິນ</translation>
    </message>
</context>
</TS>
