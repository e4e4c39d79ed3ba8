<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../approval_dialog.py" line="99"/>
        <source>Supervisor approval</source>
        <translation>ການອະນຸມັດຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="101"/>
        <source>Supervisor user name</source>
        <translation>ຊື່ຜູ້ໃຊ້ຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="102"/>
        <source>Supervisor password</source>
        <translation>ລະຫັດຜ່ານຂອງຫົວໜ້າ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="103"/>
        <source>Approve</source>
        <translation>ອະນຸມັດ</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="104"/>
        <source>Cancel</source>
        <translation>ປິດ</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="76"/>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
</context>
<context>
    <name>CloseSessionDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="147"/>
        <source>Difference: type the counted cash</source>
        <translation>ສ່ວນຕ່າງ: ໃສ່ຈຳນວນເງິນສົດທີ່ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="152"/>
        <source>Difference: {amount}</source>
        <translation>ສ່ວນຕ່າງ: {amount}</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="155"/>
        <source>More than the {limit} allowed: a supervisor must approve.</source>
        <translation>ເກີນ {limit} ທີ່ອະນຸຍາດ: ຕ້ອງໃຫ້ຫົວໜ້າອະນຸມັດ.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="187"/>
        <source>Close the cash session with a difference of {difference}, more than the {limit} allowed.</source>
        <translation>ປິດຮອບເງິນສົດທີ່ມີສ່ວນຕ່າງ {difference}, ເກີນ {limit} ທີ່ອະນຸຍາດ.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="195"/>
        <source>Close the cash session</source>
        <translation>ປິດຮອບເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="198"/>
        <source>No cash session is open.</source>
        <translation>ບໍ່ມີຮອບເງິນສົດທີ່ເປີດຢູ່.</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="201"/>
        <source>Session of {date}, float {amount}</source>
        <translation>ຮອບວັນທີ {date}, ເງິນສົດເລີ່ມຕົ້ນ {amount}</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="207"/>
        <source>Drawer</source>
        <translation>ລິ້ນຊັກເງິນ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="208"/>
        <source>Expected cash</source>
        <translation>ເງິນສົດທີ່ຄວນມີ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="209"/>
        <source>Counted cash (kip)</source>
        <translation>ເງິນສົດທີ່ນັບໄດ້ (ກີບ)</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="210"/>
        <source>Close session</source>
        <translation>ປິດຮອບ</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="110"/>
        <source>cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="112"/>
        <source>transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="114"/>
        <source>{tracking} · {name} · {amount} · {method}</source>
        <translation>{tracking} · {name} · {amount} · {method}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="121"/>
        <source>already void</source>
        <translation>ຖືກຍົກເລີກແລ້ວ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="123"/>
        <source>{amount} already refunded</source>
        <translation>ຄືນເງິນແລ້ວ {amount}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="183"/>
        <source>Receipt number</source>
        <translation>ເລກໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="185"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="188"/>
        <source>Cancel</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="189"/>
        <source>Ask a supervisor…</source>
        <translation>ຂໍການອະນຸມັດຈາກຫົວໜ້າ…</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <location filename="../day_view.py" line="50"/>
        <source>Count</source>
        <translation>ຈຳນວນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="51"/>
        <source>Amount</source>
        <translation>ຈຳນວນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="54"/>
        <location filename="../day_view.py" line="74"/>
        <source>Service</source>
        <translation>ບໍລິການ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="59"/>
        <source>Ministry</source>
        <translation>ກະຊວງ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="63"/>
        <source>Clerk</source>
        <translation>ພະນັກງານ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="65"/>
        <location filename="../day_view.py" line="76"/>
        <source>Method</source>
        <translation>ວິທີຈ່າຍ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="70"/>
        <location filename="../day_view.py" line="81"/>
        <source>Time</source>
        <translation>ເວລາ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="71"/>
        <location filename="../day_view.py" line="82"/>
        <source>Receipt</source>
        <translation>ໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="72"/>
        <source>Tracking number</source>
        <translation>ເລກຕິດຕາມ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="73"/>
        <source>Name</source>
        <translation>ຊື່</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="77"/>
        <source>Corrections</source>
        <translation>ຍົກເລີກ/ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="80"/>
        <source>Kind</source>
        <translation>ປະເພດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="84"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="85"/>
        <source>By</source>
        <translation>ຜູ້ບັນທຶກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="86"/>
        <location filename="../day_view.py" line="96"/>
        <source>Approved by</source>
        <translation>ຜູ້ອະນຸມັດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="89"/>
        <source>Opened</source>
        <translation>ເວລາເປີດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="90"/>
        <source>Opened by</source>
        <translation>ຜູ້ເປີດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="91"/>
        <source>Float</source>
        <translation>ເງິນສົດເລີ່ມຕົ້ນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="92"/>
        <location filename="../day_view.py" line="119"/>
        <source>Expected cash</source>
        <translation>ເງິນສົດທີ່ຄວນມີ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="93"/>
        <source>Counted</source>
        <translation>ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="94"/>
        <location filename="../day_view.py" line="122"/>
        <source>Difference</source>
        <translation>ສ່ວນຕ່າງ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="95"/>
        <source>Closed by</source>
        <translation>ຜູ້ປິດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="114"/>
        <source>Requests taken</source>
        <translation>ຄຳຮ້ອງທີ່ຮັບ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="115"/>
        <source>Payments</source>
        <translation>ເງິນທີ່ຮັບທັງໝົດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="116"/>
        <source>Voided</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="117"/>
        <source>Refunded</source>
        <translation>ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="118"/>
        <source>Net</source>
        <translation>ຍອດສຸດທິ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="120"/>
        <source>Counted cash</source>
        <translation>ເງິນສົດທີ່ນັບໄດ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="315"/>
        <source>Receipt {receipt} is void.</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ {receipt} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="317"/>
        <source>Refund on receipt {receipt} recorded.</source>
        <translation>ບັນທຶກການຄືນເງິນຂອງໃບຮັບເງິນ {receipt} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="342"/>
        <source>No cash session is open. Open one to take payments.</source>
        <translation>ບໍ່ມີຮອບເງິນສົດທີ່ເປີດຢູ່. ເປີດຮອບເງິນສົດກ່ອນຮັບເງິນ.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="345"/>
        <source>The cash session of {date} is still open: close it, then open one for today.</source>
        <translation>ຮອບເງິນສົດວັນທີ {date} ຍັງບໍ່ໄດ້ປິດ: ປິດກ່ອນ ແລ້ວເປີດຮອບໃໝ່ສຳລັບມື້ນີ້.</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="349"/>
        <source>Cash session open since {time}: float {float}, expected now {expected}</source>
        <translation>ຮອບເງິນສົດເປີດແຕ່ເວລາ {time}: ເງິນສົດເລີ່ມຕົ້ນ {float}, ເງິນສົດທີ່ຄວນມີຕອນນີ້ {expected}</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="370"/>
        <source>Refund</source>
        <translation>ຄືນເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="370"/>
        <location filename="../day_view.py" line="377"/>
        <source>Void</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="373"/>
        <source>Cash</source>
        <translation>ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="373"/>
        <source>Transfer</source>
        <translation>ໂອນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="379"/>
        <source>Refunded {amount}</source>
        <translation>ຄືນເງິນ {amount}</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="383"/>
        <source>&amp;Day</source>
        <translation>ວັນທີ (&amp;D)</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="384"/>
        <source>Today</source>
        <translation>ມື້ນີ້</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="385"/>
        <source>Open cash session…</source>
        <translation>ເປີດຮອບເງິນສົດ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="386"/>
        <source>Close cash session…</source>
        <translation>ປິດຮອບເງິນສົດ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="387"/>
        <source>Void a receipt…</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="388"/>
        <source>Refund…</source>
        <translation>ຄືນເງິນ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="389"/>
        <source>Settings…</source>
        <translation>ການຕັ້ງຄ່າ…</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="390"/>
        <source>Print daily summary</source>
        <translation>ພິມລາຍງານປະຈຳວັນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="392"/>
        <source>Totals</source>
        <translation>ຍອດລວມ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="392"/>
        <source>Receipts</source>
        <translation>ໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../day_view.py" line="392"/>
        <source>Voids, refunds and cash</source>
        <translation>ຍົກເລີກ, ຄືນເງິນ ແລະ ເງິນສົດ</translation>
    </message>
</context>
<context>
    <name>OpenSessionDialog</name>
    <message>
        <location filename="../cash_dialogs.py" line="104"/>
        <source>Open the cash session</source>
        <translation>ເປີດຮອບເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="105"/>
        <source>Float in the drawer (kip)</source>
        <translation>ເງິນສົດເລີ່ມຕົ້ນໃນລິ້ນຊັກ (ກີບ)</translation>
    </message>
    <message>
        <location filename="../cash_dialogs.py" line="106"/>
        <source>Open</source>
        <translation>ເປີດ</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="246"/>
        <source>Refund {amount} on receipt {receipt}. Reason: {reason}</source>
        <translation>ຄືນເງິນ {amount} ຂອງໃບຮັບເງິນ {receipt}. ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="251"/>
        <source>Refund a receipt</source>
        <translation>ຄືນເງິນຕາມໃບຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="252"/>
        <source>Amount to refund (kip)</source>
        <translation>ຈຳນວນເງິນທີ່ຄືນ (ກີບ)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="273"/>
        <source>Settings</source>
        <translation>ການຕັ້ງຄ່າ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="279"/>
        <source>Language</source>
        <translation>ພາສາ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="281"/>
        <source>Money format</source>
        <translation>ຮູບແບບການຂຽນຈຳນວນເງິນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="282"/>
        <source>Office closures</source>
        <translation>ວັນປິດຫ້ອງການ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="287"/>
        <source>Language of this window</source>
        <translation>ພາສາຂອງໜ້າຈໍນີ້</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="288"/>
        <source>Printer</source>
        <translation>ເຄື່ອງພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="48"/>
        <source>80 mm roll (receipt printer)</source>
        <translation>ມ້ວນເຈ້ຍ 80 ມມ (ເຄື່ອງພິມໃບຮັບເງິນ)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="49"/>
        <source>A4 sheet</source>
        <translation>ເຈ້ຍ A4</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="50"/>
        <source>Show it first, then print</source>
        <translation>ສະແດງໃຫ້ເບິ່ງກ່ອນ ແລ້ວຈຶ່ງພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="51"/>
        <source>Print at once</source>
        <translation>ພິມທັນທີ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="52"/>
        <source>Save as PDF only</source>
        <translation>ບັນທຶກເປັນ PDF ເທົ່ານັ້ນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="225"/>
        <source>The system's default printer</source>
        <translation>ເຄື່ອງພິມຫຼັກຂອງລະບົບ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="228"/>
        <source>{printer} (not found on this PC)</source>
        <translation>{printer} (ບໍ່ພົບຢູ່ໃນຄອມພິວເຕີນີ້)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="280"/>
        <source>Printing</source>
        <translation>ການພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="289"/>
        <source>Paper</source>
        <translation>ເຈ້ຍ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="291"/>
        <source>When printing</source>
        <translation>ເວລາພິມ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="298"/>
        <source>Closed on</source>
        <translation>ວັນທີປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="299"/>
        <location filename="../settings_dialog.py" line="300"/>
        <source>Reason</source>
        <translation>ເຫດຜົນ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="300"/>
        <source>Date</source>
        <translation>ວັນທີ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="301"/>
        <source>Add closure</source>
        <translation>ເພີ່ມວັນປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="302"/>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="310"/>
        <source>Only a supervisor can change office settings.</source>
        <translation>ສະເພາະຫົວໜ້າເທົ່ານັ້ນທີ່ປ່ຽນການຕັ້ງຄ່າຂອງຫ້ອງການໄດ້.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="320"/>
        <source>No printer is installed on this PC: documents are saved as PDF files in the documents folder of the data folder and opened.</source>
        <translation>ຄອມພິວເຕີນີ້ບໍ່ມີເຄື່ອງພິມ: ເອກະສານຈະຖືກບັນທຶກເປັນໄຟລ໌ PDF ໄວ້ໃນໂຟນເດີ documents ຂອງໂຟນເດີຂໍ້ມູນ ແລ້ວເປີດຂຶ້ນມາໃຫ້.</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../correction_dialogs.py" line="211"/>
        <source>Void receipt {receipt} ({amount}). Reason: {reason}</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ {receipt} ({amount}). ເຫດຜົນ: {reason}</translation>
    </message>
    <message>
        <location filename="../correction_dialogs.py" line="216"/>
        <source>Void a receipt</source>
        <translation>ຍົກເລີກໃບຮັບເງິນ</translation>
    </message>
</context>
</TS>
