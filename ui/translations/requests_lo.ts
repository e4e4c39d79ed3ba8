<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>FeedbackDialog</name>
    <message>
        <location filename="../status_dialog.py" line="173"/>
        <source>Feedback for {tracking}</source>
        <translation>ຄຳຄິດເຫັນຕໍ່ຄຳຮ້ອງ {tracking}</translation>
    </message>
    <message>
        <location filename="../status_dialog.py" line="174"/>
        <source>&amp;Rating (1 = poor, 5 = very good)</source>
        <translation>ຄະແນນ (1 = ບໍ່ດີ, 5 = ດີຫຼາຍ) (&amp;R)</translation>
    </message>
    <message>
        <location filename="../status_dialog.py" line="175"/>
        <source>&amp;Comment (optional)</source>
        <translation>ຄຳເຫັນເພີ່ມເຕີມ (ບໍ່ບັງຄັບ) (&amp;C)</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../status_dialog.py" line="117"/>
        <source>{tracking}: {status}</source>
        <translation>{tracking}: {status}</translation>
    </message>
    <message>
        <location filename="../status_dialog.py" line="124"/>
        <source>Why is {tracking} now “{status}”? The citizen will see this reason.</source>
        <translation>ກະລຸນາໃສ່ເຫດຜົນທີ່ຄຳຮ້ອງ {tracking} ເປັນ “{status}”. ຜູ້ຍື່ນຄຳຮ້ອງຈະເຫັນເຫດຜົນນີ້.</translation>
    </message>
</context>
<context>
    <name>RequestDetail</name>
    <message>
        <location filename="../request_detail.py" line="41"/>
        <source>Mark in process</source>
        <translation>ເລີ່ມດຳເນີນການ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="42"/>
        <source>Mark ready</source>
        <translation>ພ້ອມໃຫ້ຮັບຜົນ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="43"/>
        <source>Hand over (collected)…</source>
        <translation>ສົ່ງມອບຜົນ…</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="44"/>
        <source>Incomplete…</source>
        <translation>ເອກະສານບໍ່ຄົບ…</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="45"/>
        <source>Reject…</source>
        <translation>ປະຕິເສດ…</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="46"/>
        <source>Withdrawn…</source>
        <translation>ຖອນຄຳຮ້ອງ…</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="49"/>
        <source>Name</source>
        <translation>ຊື່</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="50"/>
        <source>Phone</source>
        <translation>ເບີໂທ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="51"/>
        <source>ID number</source>
        <translation>ເລກບັດ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="52"/>
        <source>Village</source>
        <translation>ບ້ານ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="53"/>
        <source>Service</source>
        <translation>ບໍລິການ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="54"/>
        <source>Received on</source>
        <translation>ວັນທີຮັບຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="55"/>
        <source>Promised date</source>
        <translation>ວັນນັດ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="56"/>
        <source>Fee</source>
        <translation>ຄ່າທຳນຽມ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="57"/>
        <source>Paid</source>
        <translation>ຈ່າຍແລ້ວ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="58"/>
        <source>Still due</source>
        <translation>ຍັງຄ້າງຈ່າຍ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="267"/>
        <source>Overdue</source>
        <translation>ກາຍວັນນັດ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="279"/>
        <location filename="../request_detail.py" line="280"/>
        <location filename="../request_detail.py" line="281"/>
        <source>{amount} kip</source>
        <translation>{amount} ກີບ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="310"/>
        <source>Select a request in the list to see its details.</source>
        <translation>ເລືອກຄຳຮ້ອງໃນລາຍການ ເພື່ອເບິ່ງລາຍລະອຽດ.</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="315"/>
        <source>Take payment</source>
        <translation>ຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="316"/>
        <source>Take payment (Ctrl+P)</source>
        <translation>ຮັບເງິນ (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="317"/>
        <source>Record feedback…</source>
        <translation>ບັນທຶກຄຳຄິດເຫັນ…</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="318"/>
        <source>Print appointment slip</source>
        <translation>ພິມໃບນັດຮັບຜົນ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="319"/>
        <source>Print receipt</source>
        <translation>ພິມໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="300"/>
        <source>Hand over the result of {tracking} to the citizen? This cannot be undone.</source>
        <translation>ສົ່ງມອບຜົນຂອງຄຳຮ້ອງ {tracking} ໃຫ້ຜູ້ຍື່ນຄຳຮ້ອງບໍ? ເມື່ອສົ່ງມອບແລ້ວ ຈະປ່ຽນຄືນບໍ່ໄດ້.</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="305"/>
        <source>{tracking}: {status}</source>
        <translation>{tracking}: {status}</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="312"/>
        <source>&amp;Yes</source>
        <translation>ແມ່ນ (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="313"/>
        <source>&amp;No</source>
        <translation>ບໍ່ (&amp;N)</translation>
    </message>
    <message>
        <location filename="../request_detail.py" line="502"/>
        <source>{action} ({key})</source>
        <translation>{action} ({key})</translation>
    </message>
</context>
<context>
    <name>RequestRecord</name>
    <message>
        <location filename="../request_record.py" line="75"/>
        <source>missing</source>
        <translation>ຍັງຂາດ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="79"/>
        <source>None</source>
        <translation>ບໍ່ມີ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="91"/>
        <source>Reason: {reason}</source>
        <translation>ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="94"/>
        <source>Received, no change yet</source>
        <translation>ຮັບຄຳຮ້ອງແລ້ວ, ຍັງບໍ່ມີການປ່ຽນສະຖານະ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="99"/>
        <source>cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="99"/>
        <source>transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="101"/>
        <source>{receipt} · {amount} kip · {method} · {at} · {by}</source>
        <translation>{receipt} · {amount} ກີບ · {method} · {at} · {by}</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="111"/>
        <source>VOID</source>
        <translation>ຍົກເລີກແລ້ວ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="114"/>
        <source>refunded {amount} kip</source>
        <translation>ຄືນເງິນ {amount} ກີບ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="117"/>
        <source>No payment yet</source>
        <translation>ຍັງບໍ່ໄດ້ຈ່າຍເງິນ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="122"/>
        <source>No feedback yet</source>
        <translation>ຍັງບໍ່ມີຄຳຄິດເຫັນ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="129"/>
        <source>Documents</source>
        <translation>ເອກະສານ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="130"/>
        <source>Status history</source>
        <translation>ປະຫວັດສະຖານະ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="131"/>
        <source>Payments</source>
        <translation>ການຈ່າຍເງິນ</translation>
    </message>
    <message>
        <location filename="../request_record.py" line="132"/>
        <source>Feedback</source>
        <translation>ຄຳຄິດເຫັນ</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <location filename="../requests_model.py" line="35"/>
        <source>Tracking number</source>
        <translation>ເລກຕິດຕາມ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="36"/>
        <source>Date</source>
        <translation>ວັນທີ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="37"/>
        <source>Name</source>
        <translation>ຊື່</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="38"/>
        <source>Service</source>
        <translation>ບໍລິການ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="39"/>
        <source>Fee</source>
        <translation>ຄ່າທຳນຽມ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="40"/>
        <source>Paid</source>
        <translation>ຈ່າຍແລ້ວ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="41"/>
        <source>Status</source>
        <translation>ສະຖານະ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="42"/>
        <source>Promised date</source>
        <translation>ວັນນັດ</translation>
    </message>
</context>
<context>
    <name>RequestsView</name>
    <message>
        <location filename="../requests_view.py" line="212"/>
        <source>Showing the newest {count} of more requests: type more to narrow the search</source>
        <translation>ສະແດງ {count} ຄຳຮ້ອງລ່າສຸດ ຈາກທີ່ພົບຫຼາຍກວ່ານີ້: ພິມເພີ່ມເພື່ອຄົ້ນຫາໃຫ້ແຄບລົງ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="218"/>
        <source>More than {count} requests</source>
        <translation>ຫຼາຍກວ່າ {count} ຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="213"/>
        <source>{count} requests</source>
        <translation>{count} ຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="223"/>
        <source>All services</source>
        <translation>ທຸກບໍລິການ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="234"/>
        <source>All statuses</source>
        <translation>ທຸກສະຖານະ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="351"/>
        <source>No request found for “{text}”. Type the tracking number or its end (0004 or 261203-0004), a name, a phone or an ID number.</source>
        <translation>ບໍ່ພົບຄຳຮ້ອງ ສຳລັບ “{text}”. ພິມເລກຕິດຕາມ ຫຼື ທ້າຍຂອງມັນ (0004 ຫຼື 261203-0004), ຊື່, ເບີໂທ ຫຼື ເລກບັດ.</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="356"/>
        <source>There is no request in the list.</source>
        <translation>ບໍ່ມີຄຳຮ້ອງໃນລາຍການ.</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="358"/>
        <source>Select a request in the list first (Enter or ↓ in the search box).</source>
        <translation>ກະລຸນາເລືອກຄຳຮ້ອງໃນລາຍການກ່ອນ (Enter ຫຼື ↓ ໃນຊ່ອງຄົ້ນຫາ).</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="304"/>
        <source>&amp;Search</source>
        <translation>ຄົ້ນຫາ (&amp;S)</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="305"/>
        <source>Tracking number, name, phone or ID number</source>
        <translation>ເລກຕິດຕາມ, ຊື່, ເບີໂທ ຫຼື ເລກບັດ</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="306"/>
        <source>&amp;Today</source>
        <translation>ມື້ນີ້ (&amp;T)</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="307"/>
        <source>&amp;Overdue only</source>
        <translation>ສະເພາະທີ່ກາຍວັນນັດ (&amp;O)</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="308"/>
        <source>S&amp;tatus</source>
        <translation>ສະຖານະ (&amp;A)</translation>
    </message>
    <message>
        <location filename="../requests_view.py" line="309"/>
        <source>Ser&amp;vice</source>
        <translation>ບໍລິການ (&amp;V)</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../requests_model.py" line="52"/>
        <source>Received</source>
        <translation>ຮັບແລ້ວ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="53"/>
        <source>Incomplete</source>
        <translation>ເອກະສານບໍ່ຄົບ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="54"/>
        <source>In process</source>
        <translation>ກຳລັງດຳເນີນການ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="55"/>
        <source>Ready</source>
        <translation>ພ້ອມຮັບຜົນ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="56"/>
        <source>Collected</source>
        <translation>ຮັບຜົນແລ້ວ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="57"/>
        <source>Rejected</source>
        <translation>ຖືກປະຕິເສດ</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="58"/>
        <source>Withdrawn</source>
        <translation>ຖອນຄຳຮ້ອງແລ້ວ</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <location filename="../status_dialog.py" line="82"/>
        <source>OK</source>
        <translation>ຕົກລົງ</translation>
    </message>
    <message>
        <location filename="../status_dialog.py" line="83"/>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
</context>
</TS>
