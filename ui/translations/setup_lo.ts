<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../wizard.py" line="140"/>
        <source>The first administrator</source>
        <translation>ຜູ້ຄຸ້ມຄອງລະບົບຄົນທຳອິດ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="144"/>
        <source>The administrator adds the other users and can do everything at this counter.</source>
        <translation>ຜູ້ຄຸ້ມຄອງລະບົບເປັນຜູ້ເພີ່ມຜູ້ໃຊ້ຄົນອື່ນ ແລະ ເຮັດໄດ້ທຸກຢ່າງຢູ່ປ່ອງບໍລິການນີ້.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="148"/>
        <source>&amp;User name</source>
        <translation>ຊື່ຜູ້ໃຊ້ (&amp;U)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="149"/>
        <source>&amp;Password</source>
        <translation>ລະຫັດຜ່ານ (&amp;P)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="150"/>
        <source>Password &amp;again</source>
        <translation>ລະຫັດຜ່ານອີກເທື່ອໜຶ່ງ (&amp;A)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="154"/>
        <source>At least {minimum} characters. Keep it safe: it cannot be recovered.</source>
        <translation>ຢ່າງໜ້ອຍ {minimum} ຕົວອັກສອນ. ຈື່ໄວ້ໃຫ້ດີ: ຖ້າລືມ ຈະກູ້ຄືນບໍ່ໄດ້.</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <location filename="../wizard.py" line="209"/>
        <source>Choose the catalog file</source>
        <translation>ເລືອກໄຟລ໌ລາຍການບໍລິການ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="211"/>
        <source>Catalog files (*.json);;All files (*)</source>
        <translation>ໄຟລ໌ລາຍການບໍລິການ (*.json);;ທຸກໄຟລ໌ (*)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="221"/>
        <source>Choose a catalog file.</source>
        <translation>ກະລຸນາເລືອກໄຟລ໌ລາຍການບໍລິການ.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="227"/>
        <source>The service catalog</source>
        <translation>ລາຍການບໍລິການ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="229"/>
        <source>The services, fees and documents this counter works with.</source>
        <translation>ບໍລິການ, ຄ່າທຳນຽມ ແລະ ເອກະສານ ທີ່ປ່ອງບໍລິການນີ້ໃຊ້ວຽກ.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="231"/>
        <source>&amp;Demo catalog (sample services, for trying the program)</source>
        <translation>ລາຍການບໍລິການຕົວຢ່າງ (ສຳລັບທົດລອງໃຊ້ໂປຣແກຣມ) (&amp;D)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="232"/>
        <source>A catalog file from the cen&amp;tre:</source>
        <translation>ໄຟລ໌ລາຍການບໍລິການຈາກສູນກາງ (&amp;T):</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="233"/>
        <source>&amp;Choose…</source>
        <translation>ເລືອກ… (&amp;C)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="234"/>
        <source>catalog file (.json)</source>
        <translation>ໄຟລ໌ລາຍການບໍລິການ (.json)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="236"/>
        <source>The data will be kept in: {folder}</source>
        <translation>ຂໍ້ມູນຈະຖືກເກັບໄວ້ທີ່: {folder}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="238"/>
        <source>Creating the store…</source>
        <translation>ກຳລັງສ້າງໄຟລ໌ຂໍ້ມູນ…</translation>
    </message>
</context>
<context>
    <name>LanguageSwitch</name>
    <message>
        <location filename="../login.py" line="101"/>
        <source>Language:</source>
        <translation>ພາສາ:</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="219"/>
        <source>Something went wrong: {detail}</source>
        <translation>ມີບັນຫາເກີດຂຶ້ນ: {detail}</translation>
    </message>
    <message>
        <location filename="../login.py" line="237"/>
        <source>ODSC Desk: log in</source>
        <translation>ODSC Desk: ເຂົ້າສູ່ລະບົບ</translation>
    </message>
    <message>
        <location filename="../login.py" line="238"/>
        <location filename="../login.py" line="241"/>
        <source>Log in</source>
        <translation>ເຂົ້າສູ່ລະບົບ</translation>
    </message>
    <message>
        <location filename="../login.py" line="239"/>
        <source>&amp;User name</source>
        <translation>ຊື່ຜູ້ໃຊ້ (&amp;U)</translation>
    </message>
    <message>
        <location filename="../login.py" line="240"/>
        <source>&amp;Password</source>
        <translation>ລະຫັດຜ່ານ (&amp;P)</translation>
    </message>
    <message>
        <location filename="../login.py" line="242"/>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
    <message>
        <location filename="../login.py" line="248"/>
        <source>{office} ({code}), counter {counter}</source>
        <translation>{office} ({code}), ປ່ອງບໍລິການ {counter}</translation>
    </message>
</context>
<context>
    <name>OfficePage</name>
    <message>
        <location filename="../wizard.py" line="102"/>
        <source>Welcome to ODSC Desk</source>
        <translation>ຍິນດີຕ້ອນຮັບສູ່ ODSC Desk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="104"/>
        <source>This counter has no data yet. First, the office it belongs to.</source>
        <translation>ປ່ອງບໍລິການນີ້ຍັງບໍ່ມີຂໍ້ມູນ. ກ່ອນອື່ນ, ໃສ່ຂໍ້ມູນຫ້ອງການທີ່ປ່ອງນີ້ສັງກັດ.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="106"/>
        <source>Office &amp;code</source>
        <translation>ລະຫັດຫ້ອງການ (&amp;C)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="107"/>
        <source>Office na&amp;me</source>
        <translation>ຊື່ຫ້ອງການ (&amp;M)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="108"/>
        <source>Counter n&amp;umber</source>
        <translation>ເລກປ່ອງບໍລິການ (&amp;U)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="109"/>
        <source>for example VTE-SST</source>
        <translation>ຕົວຢ່າງ VTE-SST</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../wizard.py" line="325"/>
        <source>Something went wrong: {detail}</source>
        <translation>ມີບັນຫາເກີດຂຶ້ນ: {detail}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="341"/>
        <source>ODSC Desk: first setup</source>
        <translation>ODSC Desk: ຕັ້ງຄ່າຄັ້ງທຳອິດ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="343"/>
        <source>&lt; &amp;Back</source>
        <translation>&lt; ກັບຄືນ (&amp;B)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="344"/>
        <source>&amp;Next &gt;</source>
        <translation>ຕໍ່ໄປ (&amp;N) &gt;</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="345"/>
        <source>&amp;Finish</source>
        <translation>ສຳເລັດ (&amp;F)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="346"/>
        <source>Cancel</source>
        <translation>ຍົກເລີກ</translation>
    </message>
</context>
</TS>
