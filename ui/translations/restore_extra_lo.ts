<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>BackupsDialog</name>
    <message>
        <source>All files (*)</source>
        <translation>ທຸກໄຟລ໌ (*)</translation>
    </message>
    <message>
        <source>encrypted: needs its passphrase</source>
        <translation>ເຂົ້າລະຫັດໄວ້: ຕ້ອງໃຊ້ລະຫັດຂອງໄຟລ໌ສຳຮອງ</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>&amp;Passphrase</source>
        <translation>ລະຫັດຂອງໄຟລ໌ສຳຮອງ (&amp;P)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <source>Encrypted backup</source>
        <translation>ໄຟລ໌ສຳຮອງທີ່ເຂົ້າລະຫັດໄວ້</translation>
    </message>
    <message>
        <source>Opening the backup and restoring…</source>
        <translation>ກຳລັງເປີດໄຟລ໌ສຳຮອງ ແລະ ກູ້ຄືນ…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>ກູ້ຄືນ</translation>
    </message>
    <message>
        <source>The backup {name} is encrypted. Type the passphrase it was made with to restore it.</source>
        <translation>ໄຟລ໌ສຳຮອງ {name} ຖືກເຂົ້າລະຫັດໄວ້. ພິມລະຫັດທີ່ໃຊ້ຕອນເຮັດໄຟລ໌ສຳຮອງນີ້ ເພື່ອກູ້ຄືນ.</translation>
    </message>
    <message>
        <source>Type the backup&apos;s passphrase.</source>
        <translation>ກະລຸນາພິມລະຫັດຂອງໄຟລ໌ສຳຮອງ.</translation>
    </message>
</context>
</TS>
