<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="lo_LA">
<context>
    <name>AboutDialog</name>
    <message>
        <source>GNU Lesser General Public License 2.1 or later</source>
        <translation>ໃບອະນຸຍາດ GNU Lesser General Public License ສະບັບ 2.1 ຫຼື ສະບັບໃໝ່ກວ່າ</translation>
    </message>
    <message>
        <source>SIL Open Font License 1.1</source>
        <translation>ໃບອະນຸຍາດ SIL Open Font License ສະບັບ 1.1</translation>
    </message>
    <message>
        <source>Bitstream Vera Fonts licence</source>
        <translation>ໃບອະນຸຍາດຂອງຟອນ Bitstream Vera</translation>
    </message>
    <message>
        <source>Licence of {font}</source>
        <translation>ໃບອະນຸຍາດຂອງ {font}</translation>
    </message>
    <message>
        <source>About ODSC Desk</source>
        <translation>ກ່ຽວກັບ ODSC Desk</translation>
    </message>
    <message>
        <source>ODSC Desk {version}</source>
        <translation>ODSC Desk {version}</translation>
    </message>
    <message>
        <source>Counter software for the One-Door-Service Centres of Lao PDR.</source>
        <translation>ໂປຣແກຣມສຳລັບປ່ອງບໍລິການ ຂອງຫ້ອງການບໍລິການປະຕູດຽວ ໃນ ສປປ ລາວ.</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>ລຸ້ນ:</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>ໂຟນເດີຂໍ້ມູນ:</translation>
    </message>
    <message>
        <source>Store file:</source>
        <translation>ໄຟລ໌ຂໍ້ມູນ:</translation>
    </message>
    <message>
        <source>Log files:</source>
        <translation>ໄຟລ໌ບັນທຶກການເຮັດວຽກ:</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>ໃບອະນຸຍາດ</translation>
    </message>
    <message>
        <source>This program is free software under the GNU General Public License, version 3 or later ({spdx}): &lt;a href=&quot;{url}&quot;&gt;{url}&lt;/a&gt;</source>
        <translation>ໂປຣແກຣມນີ້ເປັນຊອບແວເສລີ ພາຍໃຕ້ໃບອະນຸຍາດ GNU General Public License ສະບັບ 3 ຫຼື ສະບັບໃໝ່ກວ່າ ({spdx}): &lt;a href=&quot;{url}&quot;&gt;{url}&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Font {font}: {licence} ({spdx})</source>
        <translation>ຟອນ {font}: {licence} ({spdx})</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>ອ່ານ</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>ODSC Desk is locked</source>
        <translation>ODSC Desk ຖືກລັອກໄວ້</translation>
    </message>
    <message>
        <source>Nobody used this window for {minutes} min. Type the password to go on, or another user&apos;s name and password to take over the counter.</source>
        <translation>ບໍ່ມີໃຜໃຊ້ໜ້າຈໍນີ້ມາ {minutes} ນາທີແລ້ວ. ພິມລະຫັດຜ່ານເພື່ອເຮັດວຽກຕໍ່, ຫຼື ພິມຊື່ຜູ້ໃຊ້ ແລະ ລະຫັດຜ່ານຂອງຜູ້ອື່ນ ເພື່ອຮັບຊ່ວງປ່ອງບໍລິການນີ້.</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>ຊື່ຜູ້ໃຊ້ (&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>ລະຫັດຜ່ານ (&amp;P)</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>ປົດລັອກ</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>About ODSC Desk…</source>
        <translation>ກ່ຽວກັບ ODSC Desk…</translation>
    </message>
</context>
</TS>
