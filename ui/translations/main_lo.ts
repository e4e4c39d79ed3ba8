<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="lo_LA">
<context>
    <name>CounterStatusBar</name>
    <message>
        <location filename="../status_bar.py" line="57"/>
        <source>{user} · {office}, counter {counter} · {date}</source>
        <translation>{user} · {office}, ປ່ອງ {counter} · {date}</translation>
    </message>
    <message>
        <source>Not connected to a centre · {count} waiting to sync</source>
        <translation>ຍັງບໍ່ໄດ້ເຊື່ອມຕໍ່ກັບສູນກາງ · {count} ລາຍການລໍຖ້າສົ່ງ</translation>
    </message>
    <message>
        <source>Syncing… · {count} waiting</source>
        <translation>ກຳລັງສົ່ງຂໍ້ມູນ… · {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>Offline, {count} waiting</source>
        <translation>ບໍ່ມີເຄືອຂ່າຍ, {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>Sending {sent} of {total} to the centre…</source>
        <translation>ກຳລັງສົ່ງ {sent} ຈາກ {total} ລາຍການໄປສູນກາງ…</translation>
    </message>
    <message>
        <source>Not enrolled with a centre: an admin enrolls this counter · {count} waiting</source>
        <translation>ຍັງບໍ່ໄດ້ລົງທະບຽນກັບສູນກາງ: ຜູ້ດູແລລະບົບຕ້ອງລົງທະບຽນປ່ອງນີ້ · {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>The centre is not answering, {count} waiting</source>
        <translation>ສູນກາງບໍ່ຕອບ, {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>Sync failed, {count} waiting</source>
        <translation>ສົ່ງຂໍ້ມູນບໍ່ສຳເລັດ, {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>Synced {ago} · {count} waiting</source>
        <translation>ສົ່ງຂໍ້ມູນແລ້ວ {ago} · {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>Not synced yet · {count} waiting</source>
        <translation>ຍັງບໍ່ທັນໄດ້ສົ່ງຂໍ້ມູນ · {count} ລາຍການລໍຖ້າ</translation>
    </message>
    <message>
        <source>{count} held back by the centre</source>
        <translation>{count} ລາຍການຖືກສູນກາງປະຕິເສດ</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>ຫາກໍ່ນີ້</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} ນາທີກ່ອນ</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} ຊົ່ວໂມງກ່ອນ</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>{n} ມື້ກ່ອນ</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>ສົ່ງຂໍ້ມູນດຽວນີ້</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="21"/>
        <location filename="../main_window.py" line="116"/>
        <location filename="../main_window.py" line="123"/>
        <source>New request</source>
        <translation>ຄຳຮ້ອງໃໝ່</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="24"/>
        <source>Find a request (tracking number, name, phone, ID)</source>
        <translation>ຄົ້ນຫາຄຳຮ້ອງ (ເລກຕິດຕາມ, ຊື່, ເບີໂທ, ເລກບັດ)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="26"/>
        <location filename="../main_window.py" line="118"/>
        <location filename="../main_window.py" line="125"/>
        <source>Day and cash</source>
        <translation>ລາຍງານປະຈຳວັນ ແລະ ເງິນສົດ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="27"/>
        <source>Save the request</source>
        <translation>ບັນທຶກຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="28"/>
        <source>Save the request and take payment</source>
        <translation>ບັນທຶກຄຳຮ້ອງ ແລະ ຮັບເງິນ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="29"/>
        <source>Take payment for the selected request</source>
        <translation>ຮັບເງິນສຳລັບຄຳຮ້ອງທີ່ເລືອກ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="30"/>
        <source>Print the appointment slip</source>
        <translation>ພິມໃບນັດຮັບຜົນ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="31"/>
        <source>Confirm a dialog</source>
        <translation>ຢືນຢັນ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="32"/>
        <source>Cancel a dialog</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="43"/>
        <source>Clear the new-request form</source>
        <translation>ລ້າງແບບຟອມຄຳຮ້ອງໃໝ່</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="33"/>
        <location filename="../main_window.py" line="106"/>
        <location filename="../main_window.py" line="128"/>
        <source>Keyboard shortcuts</source>
        <translation>ປຸ່ມລັດ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="110"/>
        <source>Something went wrong</source>
        <translation>ມີບັນຫາເກີດຂຶ້ນ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="114"/>
        <source>ODSC Desk · {office}</source>
        <translation>ODSC Desk · {office}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="117"/>
        <source>Requests</source>
        <translation>ຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="119"/>
        <source>&amp;File</source>
        <translation>ໄຟລ໌ (&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="120"/>
        <source>Settings…</source>
        <translation>ການຕັ້ງຄ່າ…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121"/>
        <source>Quit</source>
        <translation>ອອກ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="122"/>
        <source>&amp;Go</source>
        <translation>ໄປທີ່ (&amp;G)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="124"/>
        <source>Find a request</source>
        <translation>ຄົ້ນຫາຄຳຮ້ອງ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="126"/>
        <source>&amp;Language</source>
        <translation>ພາສາ (&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="127"/>
        <source>&amp;Help</source>
        <translation>ຊ່ວຍເຫຼືອ (&amp;H)</translation>
    </message>
    <message>
        <source>Sync with the centre now</source>
        <translation>ສົ່ງຂໍ້ມູນໄປສູນກາງດຽວນີ້</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>ສົ່ງຂໍ້ມູນດຽວນີ້</translation>
    </message>
</context>
</TS>
