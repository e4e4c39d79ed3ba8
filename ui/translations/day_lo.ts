<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../approval_dialog.py" line="159"/>
        <source>Supervisor approval</source>
        <translation>ການອະນຸມັດຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="161"/>
        <source>Supervisor user name</source>
        <translation>ຊື່ຜູ້ໃຊ້ຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="162"/>
        <source>Supervisor password</source>
        <translation>ລະຫັດຜ່ານຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="163"/>
        <source>Approve</source>
        <translation>ອະນຸມັດ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="164"/>
        <source>Cancel</source>
        <translation>ປິດ</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="75"/>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
</context>
<context>
    <name>CloseSessionDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="146"/>
        <source>Difference: type the counted cash</source>
        <translation>ສ່ວນຕ່າງ: ໃສ່ຈຳນວນເງິນສົດທີ່ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="151"/>
        <source>Difference: {amount}</source>
        <translation>ສ່ວນຕ່າງ: {amount}</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="154"/>
        <source>More than the {limit} allowed: a supervisor must approve.</source>
        <translation>ເກີນ {limit} ທີ່ອະນຸຍາດ: ຕ້ອງໃຫ້ຫົວໜ້າອະນຸມັດ.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="186"/>
        <source>Close the cash session with a difference of {difference}, more than the {limit} allowed.</source>
        <translation>ປິດຮອບເງິນສົດທີ່ມີສ່ວນຕ່າງ {difference}, ເກີນ {limit} ທີ່ອະນຸຍາດ.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="194"/>
        <source>Close the cash session</source>
        <translation>ປິດຮອບເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="197"/>
        <source>No cash session is open.</source>
        <translation>ບໍ່ມີຮອບເງິນສົດທີ່ເປີດຢູ່.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="200"/>
        <source>Session of {date}, float {amount}</source>
        <translation>ຮອບວັນທີ {date}, ເງິນສົດເລີ່ມຕົ້ນ {amount}</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="206"/>
        <source>Drawer</source>
        <translation>ລິ້ນຊັກເງິນ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="207"/>
        <source>Expected cash</source>
        <translation>ເງິນສົດທີ່ຄວນມີ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="208"/>
        <source>Counted cash (kip)</source>
        <translation>ເງິນສົດທີ່ນັບໄດ້ (ກີບ)</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="209"/>
        <source>Close session</source>
        <translation>ປິດຮອບ</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="109"/>
        <source>cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="111"/>
        <source>transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="113"/>
        <source>{tracking} · {name} · {amount} · {method}</source>
        <translation>{tracking} · {name} · {amount} · {method}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="120"/>
        <source>already void</source>
        <translation>ຖືກຍົກເລີກແລ້ວ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="122"/>
        <source>{amount} already refunded</source>
        <translation>ຄືນເງິນແລ້ວ {amount}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="182"/>
        <source>Receipt number</source>
        <translation>ເລກໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="184"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="187"/>
        <source>Cancel</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="188"/>
        <source>Ask a supervisor…</source>
        <translation>ຂໍການອະນຸມັດຈາກຫົວໜ້າ…</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <location filename="../day_view.py" line="48"/>
        <source>Count</source>
        <translation>ຈຳນວນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="49"/>
        <source>Amount</source>
        <translation>ຈຳນວນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="52"/>
        <location filename="../day_view.py" line="72"/>
        <source>Service</source>
        <translation>ບໍລິການ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="57"/>
        <source>Ministry</source>
        <translation>ກະຊວງ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="61"/>
        <source>Clerk</source>
        <translation>ພະນັກງານ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="63"/>
        <location filename="../day_view.py" line="74"/>
        <source>Method</source>
        <translation>ວິທີຈ່າຍ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="68"/>
        <location filename="../day_view.py" line="79"/>
        <source>Time</source>
        <translation>ເວລາ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="69"/>
        <location filename="../day_view.py" line="80"/>
        <source>Receipt</source>
        <translation>ໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="70"/>
        <source>Tracking number</source>
        <translation>ເລກຕິດຕາມ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="71"/>
        <source>Name</source>
        <translation>ຊື່</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="75"/>
        <source>Corrections</source>
        <translation>ຍົກເລີກ/ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="78"/>
        <source>Kind</source>
        <translation>ປະເພດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="82"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="83"/>
        <source>By</source>
        <translation>ຜູ້ບັນທຶກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="84"/>
        <location filename="../day_view.py" line="94"/>
        <source>Approved by</source>
        <translation>ຜູ້ອະນຸມັດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="87"/>
        <source>Opened</source>
        <translation>ເວລາເປີດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="88"/>
        <source>Opened by</source>
        <translation>ຜູ້ເປີດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="89"/>
        <source>Float</source>
        <translation>ເງິນສົດເລີ່ມຕົ້ນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="90"/>
        <location filename="../day_view.py" line="117"/>
        <source>Expected cash</source>
        <translation>ເງິນສົດທີ່ຄວນມີ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="91"/>
        <source>Counted</source>
        <translation>ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="92"/>
        <location filename="../day_view.py" line="120"/>
        <source>Difference</source>
        <translation>ສ່ວນຕ່າງ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="93"/>
        <source>Closed by</source>
        <translation>ຜູ້ປິດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="112"/>
        <source>Requests taken</source>
        <translation>ຄຳຮ້ອງທີ່ຮັບ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="113"/>
        <source>Payments</source>
        <translation>ເງິນທີ່ຮັບທັງໝົດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="114"/>
        <source>Voided</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="115"/>
        <source>Refunded</source>
        <translation>ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="116"/>
        <source>Net</source>
        <translation>ຍອດສຸດທິ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="118"/>
        <source>Counted cash</source>
        <translation>ເງິນສົດທີ່ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="308"/>
        <source>Receipt {receipt} is void.</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ {receipt} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="310"/>
        <source>Refund on receipt {receipt} recorded.</source>
        <translation>ບັນທຶກການຄືນເງິນຂອງໃບຮັບເງິນ {receipt} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="335"/>
        <source>No cash session is open. Open one to take payments.</source>
        <translation>ບໍ່ມີຮອບເງິນສົດທີ່ເປີດຢູ່. ເປີດຮອບເງິນສົດກ່ອນຮັບເງິນ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="338"/>
        <source>The cash session of {date} is still open: close it, then open one for today.</source>
        <translation>ຮອບເງິນສົດວັນທີ {date} ຍັງບໍ່ໄດ້ປິດ: ປິດກ່ອນ ແລ້ວເປີດຮອບໃໝ່ສຳລັບມື້ນີ້.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="342"/>
        <source>Cash session open since {time}: float {float}, expected now {expected}</source>
        <translation>ຮອບເງິນສົດເປີດແຕ່ເວລາ {time}: ເງິນສົດເລີ່ມຕົ້ນ {float}, ເງິນສົດທີ່ຄວນມີຕອນນີ້ {expected}</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="363"/>
        <source>Refund</source>
        <translation>ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="363"/>
        <location filename="../day_view.py" line="370"/>
        <source>Void</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="366"/>
        <source>Cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="366"/>
        <source>Transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="372"/>
        <source>Refunded {amount}</source>
        <translation>ຄືນເງິນ {amount}</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="376"/>
        <source>&amp;Day</source>
        <translation>ວັນທີ (&amp;D)</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="377"/>
        <source>Today</source>
        <translation>ມື້ນີ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="378"/>
        <source>Open cash session…</source>
        <translation>ເປີດຮອບເງິນສົດ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="379"/>
        <source>Close cash session…</source>
        <translation>ປິດຮອບເງິນສົດ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="380"/>
        <source>Void a receipt…</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="381"/>
        <source>Refund…</source>
        <translation>ຄືນເງິນ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="382"/>
        <source>Settings…</source>
        <translation>ການຕັ້ງຄ່າ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="384"/>
        <source>Totals</source>
        <translation>ຍອດລວມ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="384"/>
        <source>Receipts</source>
        <translation>ໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="384"/>
        <source>Voids, refunds and cash</source>
        <translation>ຍົກເລີກ, ຄືນເງິນ ແລະ ເງິນສົດ</translation>
    </message>
</context>
<context>
    <name>OpenSessionDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="103"/>
        <source>Open the cash session</source>
        <translation>ເປີດຮອບເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="104"/>
        <source>Float in the drawer (kip)</source>
        <translation>ເງິນສົດເລີ່ມຕົ້ນໃນລິ້ນຊັກ (ກີບ)</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="105"/>
        <source>Open</source>
        <translation>ເປີດ</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="245"/>
        <source>Refund {amount} on receipt {receipt}. Reason: {reason}</source>
        <translation>ຄືນເງິນ {amount} ຂອງໃບຮັບເງິນ {receipt}. ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="250"/>
        <source>Refund a receipt</source>
        <translation>ຄືນເງິນຕາມໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="251"/>
        <source>Amount to refund (kip)</source>
        <translation>ຈຳນວນເງິນທີ່ຄືນ (ກີບ)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="212"/>
        <source>Settings</source>
        <translation>ການຕັ້ງຄ່າ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="218"/>
        <source>Language</source>
        <translation>ພາສາ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="219"/>
        <source>Receipt printer</source>
        <translation>ເຄື່ອງພິມໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="220"/>
        <source>Money format</source>
        <translation>ຮູບແບບການຂຽນຈຳນວນເງິນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="221"/>
        <source>Office closures</source>
        <translation>ວັນປິດຫ້ອງການ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="226"/>
        <source>Language of this window</source>
        <translation>ພາສາຂອງໜ້າຈໍນີ້</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="227"/>
        <source>Printer</source>
        <translation>ເຄື່ອງພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="229"/>
        <source>No printer yet</source>
        <translation>ຍັງບໍ່ມີເຄື່ອງພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="232"/>
        <source>Printing receipts arrives with the receipts work; there is nothing to choose yet.</source>
        <translation>ການພິມໃບຮັບເງິນຈະມາພ້ອມກັບວຽກສ່ວນໃບຮັບເງິນ; ຕອນນີ້ຍັງບໍ່ມີຫຍັງໃຫ້ເລືອກ.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="239"/>
        <source>Closed on</source>
        <translation>ວັນທີປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="240"/>
        <location filename="../settings_dialog.py" line="241"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="241"/>
        <source>Date</source>
        <translation>ວັນທີ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="242"/>
        <source>Add closure</source>
        <translation>ເພີ່ມວັນປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="243"/>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="251"/>
        <source>Only a supervisor can change office settings.</source>
        <translation>ສະເພາະຫົວໜ້າເທົ່ານັ້ນທີ່ປ່ຽນການຕັ້ງຄ່າຂອງຫ້ອງການໄດ້.</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="210"/>
        <source>Void receipt {receipt} ({amount}). Reason: {reason}</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ {receipt} ({amount}). ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="215"/>
        <source>Void a receipt</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ</translation>
    </message>
</context>
</TS>
