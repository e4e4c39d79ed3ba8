<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="lo_LA">
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Automatic</source>
        <translation>ອັດຕະໂນມັດ</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>ສຳຮອງຂໍ້ມູນດຽວນີ້</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>ກຳລັງສຳຮອງຂໍ້ມູນ…</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>ການສຳຮອງຂໍ້ມູນ</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>ກ່ອນການກູ້ຄືນ</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>ກ່ອນການອັບເກຣດ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>ການກວດສອບ</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>ເລືອກໂຟນເດີ…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>ວັນທີ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>ປະເພດ</translation>
    </message>
    <message>
        <source>Last automatic backup: {when}</source>
        <translation>ສຳຮອງອັດຕະໂນມັດຄັ້ງລ່າສຸດ: {when}</translation>
    </message>
    <message>
        <source>No automatic backup yet.</source>
        <translation>ຍັງບໍ່ມີການສຳຮອງອັດຕະໂນມັດເທື່ອ.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>ບໍ່ມີ</translation>
    </message>
    <message>
        <source>ODSC Desk backups (*.sqlite3)</source>
        <translation>ໄຟລ໌ສຳຮອງ ODSC Desk (*.sqlite3)</translation>
    </message>
    <message>
        <source>Only a supervisor can back up or restore.</source>
        <translation>ສະເພາະຫົວໜ້າເທົ່ານັ້ນທີ່ສຳຮອງ ຫຼື ກູ້ຄືນຂໍ້ມູນໄດ້.</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>ອື່ນໆ</translation>
    </message>
    <message>
        <source>Replace this counter's store with the backup {name}? Anything recorded after that backup was made is not in it. The current store is saved first. ODSC Desk closes afterwards: start it again.</source>
        <translation>ແທນຂໍ້ມູນຂອງປ່ອງນີ້ດ້ວຍໄຟລ໌ສຳຮອງ {name} ບໍ? ສິ່ງທີ່ບັນທຶກຫຼັງຈາກເຮັດໄຟລ໌ສຳຮອງນັ້ນຈະບໍ່ມີຢູ່ໃນມັນ. ຂໍ້ມູນປັດຈຸບັນຈະຖືກບັນທຶກໄວ້ກ່ອນ. ຫຼັງຈາກນັ້ນ ODSC Desk ຈະປິດ: ໃຫ້ເປີດໃໝ່ອີກຄັ້ງ.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>ກູ້ຄືນ</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>ກູ້ຄືນຈາກໄຟລ໌ສຳຮອງ</translation>
    </message>
    <message>
        <source>Restore from a file</source>
        <translation>ກູ້ຄືນຈາກໄຟລ໌</translation>
    </message>
    <message>
        <source>Restore from another file…</source>
        <translation>ກູ້ຄືນຈາກໄຟລ໌ອື່ນ…</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>ກູ້ຄືນໄຟລ໌ສຳຮອງທີ່ເລືອກ…</translation>
    </message>
    <message>
        <source>Second backup location</source>
        <translation>ບ່ອນສຳຮອງທີສອງ</translation>
    </message>
    <message>
        <source>Second copy to (USB drive):</source>
        <translation>ສຳເນົາທີສອງໄປທີ່ (USB):</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>ຂະໜາດ</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>ບ່ອນເກັບ</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>ກຳລັງກວດສອບ…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ບໍ່ມີ</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ຖືກຕ້ອງ</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>ຄອມພິວເຕີນີ້</translation>
    </message>
</context>
<context>
    <name>CounterStatusBar</name>
    <message>
        <source>Backing up…</source>
        <translation>ກຳລັງສຳຮອງຂໍ້ມູນ…</translation>
    </message>
    <message>
        <source>Backup: today {time}</source>
        <translation>ສຳຮອງ: ມື້ນີ້ {time}</translation>
    </message>
    <message>
        <source>Backup: yesterday {time}</source>
        <translation>ສຳຮອງ: ມື້ວານ {time}</translation>
    </message>
    <message>
        <source>Backup: {date} {time}</source>
        <translation>ສຳຮອງ: {date} {time}</translation>
    </message>
    <message>
        <source>No backup yet</source>
        <translation>ຍັງບໍ່ໄດ້ສຳຮອງຂໍ້ມູນ</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Back up now</source>
        <translation>ສຳຮອງຂໍ້ມູນດຽວນີ້</translation>
    </message>
    <message>
        <source>Backed up to {path}</source>
        <translation>ສຳຮອງໄວ້ທີ່ {path}</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>ກູ້ຄືນຈາກໄຟລ໌ສຳຮອງ</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>ກູ້ຄືນຈາກໄຟລ໌ສຳຮອງ…</translation>
    </message>
    <message>
        <source>Restored from {source}. The store as it was is saved as {saved}. ODSC Desk will now close: start it again.</source>
        <translation>ກູ້ຄືນຈາກ {source} ແລ້ວ. ຂໍ້ມູນກ່ອນກູ້ຄືນຖືກບັນທຶກໄວ້ທີ່ {saved}. ODSC Desk ຈະປິດດຽວນີ້: ໃຫ້ເປີດໃໝ່ອີກຄັ້ງ.</translation>
    </message>
    <message>
        <source>Supervisors only</source>
        <translation>ສະເພາະຫົວໜ້າ</translation>
    </message>
</context>
</TS>
