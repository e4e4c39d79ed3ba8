<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>DayView</name>
    <message>
        <source>Short</source>
        <translation>ເງິນຂາດ</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>ເງິນເກີນ</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>the whole number, or its last digits: 12</source>
        <translation>ເລກເຕັມ ຫຼື ຕົວເລກທ້າຍ: 12</translation>
    </message>
</context>
</TS>
