<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>DocumentChecklist</name>
    <message>
        <location filename="../service_picker.py" line="339"/>
        <source>Documents received</source>
        <translation>ເອກະສານທີ່ໄດ້ຮັບ</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../intake.py" line="304"/>
        <source>Saved. Tracking number: {tracking} · Paid, receipt {receipt} · Change {change} kip</source>
        <translation>ບັນທຶກແລ້ວ. ເລກຕິດຕາມ: {tracking} · ຮັບເງິນແລ້ວ, ໃບຮັບເງິນ {receipt} · ເງິນທອນ {change} ກີບ</translation>
    </message>
    <message>
        <location filename="../intake.py" line="309"/>
        <source>Saved. Tracking number: {tracking} · Paid, receipt {receipt}</source>
        <translation>ບັນທຶກແລ້ວ. ເລກຕິດຕາມ: {tracking} · ຮັບເງິນແລ້ວ, ໃບຮັບເງິນ {receipt}</translation>
    </message>
    <message>
        <location filename="../intake.py" line="313"/>
        <source>Saved. Tracking number: {tracking}</source>
        <translation>ບັນທຶກແລ້ວ. ເລກຕິດຕາມ: {tracking}</translation>
    </message>
    <message>
        <location filename="../intake.py" line="319"/>
        <source>&amp;Service</source>
        <translation>ບໍລິການ (&amp;S)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="320"/>
        <source>&amp;Name</source>
        <translation>ຊື່ (&amp;N)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="321"/>
        <source>&amp;Phone</source>
        <translation>ເບີໂທ (&amp;P)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="322"/>
        <source>&amp;ID number</source>
        <translation>ເລກບັດ (&amp;I)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="323"/>
        <source>&amp;Village</source>
        <translation>ບ້ານ (&amp;V)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="324"/>
        <source>Save (Ctrl+S)</source>
        <translation>ບັນທຶກ (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="325"/>
        <source>Save and take payment (Ctrl+Enter)</source>
        <translation>ບັນທຶກ ແລະ ຮັບເງິນ (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="326"/>
        <source>Print appointment slip (Ctrl+Shift+P)</source>
        <translation>ພິມໃບນັດຮັບຜົນ (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <location filename="../intake.py" line="334"/>
        <source>New request</source>
        <translation>ຄຳຮ້ອງໃໝ່</translation>
    </message>
    <message>
        <location filename="../intake.py" line="335"/>
        <source>Discard what was typed for this citizen?</source>
        <translation>ລຶບຂໍ້ມູນທີ່ພິມໄວ້ຂອງຜູ້ຍື່ນຄຳຮ້ອງຄົນນີ້ຖິ້ມບໍ?</translation>
    </message>
    <message>
        <location filename="../intake.py" line="337"/>
        <source>Yes</source>
        <translation>ແມ່ນ</translation>
    </message>
    <message>
        <location filename="../intake.py" line="338"/>
        <source>No</source>
        <translation>ບໍ່</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../payment_dialog.py" line="142"/>
        <source>{amount} kip short</source>
        <translation>ຍັງຂາດ {amount} ກີບ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="144"/>
        <source>{amount} kip</source>
        <translation>{amount} ກີບ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="205"/>
        <source>The cash tendered is less than the amount</source>
        <translation>ເງິນທີ່ຮັບມາໜ້ອຍກວ່າຈຳນວນທີ່ຕ້ອງຈ່າຍ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="222"/>
        <source>Take payment</source>
        <translation>ຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="233"/>
        <source>Fee {fee} kip · paid {paid} kip · due {due} kip</source>
        <translation>ຄ່າທຳນຽມ {fee} ກີບ · ຈ່າຍແລ້ວ {paid} ກີບ · ຍັງຕ້ອງຈ່າຍ {due} ກີບ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="239"/>
        <source>&amp;Amount (kip)</source>
        <translation>ຈຳນວນເງິນ (ກີບ) (&amp;A)</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="240"/>
        <source>&amp;Method</source>
        <translation>ວິທີຈ່າຍ (&amp;M)</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="241"/>
        <source>Amount &amp;tendered</source>
        <translation>ເງິນທີ່ຮັບມາ (&amp;T)</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="242"/>
        <source>Change due</source>
        <translation>ເງິນທອນ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="243"/>
        <source>Cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="244"/>
        <source>Transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="245"/>
        <source>Confirm (Enter)</source>
        <translation>ຕົກລົງ (Enter)</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="246"/>
        <source>Cancel (Esc)</source>
        <translation>ຍົກເລີກ (Esc)</translation>
    </message>
    <message>
        <location filename="../payment_dialog.py" line="249"/>
        <source>Paid. Receipt {receipt}</source>
        <translation>ຮັບເງິນແລ້ວ. ໃບຮັບເງິນ {receipt}</translation>
    </message>
</context>
<context>
    <name>ServicePicker</name>
    <message>
        <location filename="../service_picker.py" line="120"/>
        <source>Choose a service first</source>
        <translation>ເລືອກບໍລິການກ່ອນ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="190"/>
        <source>Search a service: Lao or English name, or code</source>
        <translation>ຄົ້ນຫາບໍລິການ: ຊື່ພາສາລາວ ຫຼື ພາສາອັງກິດ, ຫຼື ລະຫັດ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="191"/>
        <source>Service</source>
        <translation>ບໍລິການ</translation>
    </message>
</context>
<context>
    <name>ServiceSummary</name>
    <message>
        <location filename="../service_picker.py" line="240"/>
        <source>Fee</source>
        <translation>ຄ່າທຳນຽມ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="241"/>
        <source>Processing time</source>
        <translation>ໄລຍະເວລາດຳເນີນການ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="242"/>
        <source>Promised date</source>
        <translation>ວັນນັດ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="245"/>
        <source>No service chosen yet</source>
        <translation>ຍັງບໍ່ໄດ້ເລືອກບໍລິການ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="250"/>
        <source>{amount} kip</source>
        <translation>{amount} ກີບ</translation>
    </message>
    <message>
        <location filename="../service_picker.py" line="251"/>
        <source>{days} working days</source>
        <translation>{days} ວັນລັດຖະການ</translation>
    </message>
</context>
</TS>
