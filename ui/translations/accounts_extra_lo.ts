<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>AccountsDialog</name>
    <message>
        <source>&amp;Password</source>
        <translation>ລະຫັດຜ່ານ (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>ບົດບາດ (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>ຊື່ຜູ້ໃຊ້ (&amp;U)</translation>
    </message>
    <message>
        <source>Account {user} added ({role}). They can log in now.</source>
        <translation>ເພີ່ມບັນຊີ {user} ແລ້ວ ({role}). ເຂົ້າສູ່ລະບົບໄດ້ດຽວນີ້.</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>ບັນຊີຜູ້ໃຊ້</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>ເພີ່ມບັນຊີຜູ້ໃຊ້</translation>
    </message>
    <message>
        <source>Add the account</source>
        <translation>ເພີ່ມບັນຊີ</translation>
    </message>
    <message>
        <source>Added on</source>
        <translation>ເພີ່ມເມື່ອ</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>ຜູ້ດູແລລະບົບ</translation>
    </message>
    <message>
        <source>At least {minimum} characters, typed twice. Give it to the new user in person: it cannot be recovered.</source>
        <translation>ຢ່າງໜ້ອຍ {minimum} ຕົວອັກສອນ, ພິມສອງເທື່ອ. ບອກໃຫ້ຜູ້ໃຊ້ໃໝ່ດ້ວຍຕົນເອງ: ລະຫັດຜ່ານກູ້ຄືນບໍ່ໄດ້.</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>ພະນັກງານ</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <source>Only a supervisor can add accounts.</source>
        <translation>ມີແຕ່ຫົວໜ້າເທົ່ານັ້ນທີ່ເພີ່ມບັນຊີຜູ້ໃຊ້ໄດ້</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>ລະຫັດຜ່ານອີກເທື່ອໜຶ່ງ (&amp;A)</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>ບົດບາດ</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>ຫົວໜ້າ</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>ຊື່ຜູ້ໃຊ້</translation>
    </message>
    <message>
        <source>one word, Lao or Latin letters</source>
        <translation>ຄຳດຽວ, ຕົວອັກສອນລາວ ຫຼື ລາຕິນ</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>{user} locked this window. The next user types their name and password to take over the counter; {user} types the password to go on.</source>
        <translation>{user} ລັອກໜ້າຈໍນີ້ໄວ້. ຜູ້ໃຊ້ຄົນຕໍ່ໄປ ພິມຊື່ຜູ້ໃຊ້ ແລະ ລະຫັດຜ່ານຂອງຕົນ ເພື່ອຮັບຊ່ວງປ່ອງບໍລິການນີ້; {user} ພິມລະຫັດຜ່ານເພື່ອເຮັດວຽກຕໍ່.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Accounts (supervisors)</source>
        <translation>ບັນຊີຜູ້ໃຊ້ (ສະເພາະຫົວໜ້າ)</translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation>ບັນຊີຜູ້ໃຊ້…</translation>
    </message>
    <message>
        <source>Anywhere in the window</source>
        <translation>ທຸກບ່ອນໃນໜ້າຕ່າງ</translation>
    </message>
    <message>
        <source>Choose a service in the list</source>
        <translation>ເລືອກບໍລິການໃນລາຍການ</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>ລຶບຄຳຄົ້ນຫາ</translation>
    </message>
    <message>
        <source>Dialogs</source>
        <translation>ກ່ອງໂຕ້ຕອບ</translation>
    </message>
    <message>
        <source>Documents incomplete</source>
        <translation>ເອກະສານບໍ່ຄົບ</translation>
    </message>
    <message>
        <source>From the list to what can be done</source>
        <translation>ຈາກລາຍການ ໄປຫາສິ່ງທີ່ເຮັດໄດ້</translation>
    </message>
    <message>
        <source>From the search to the list</source>
        <translation>ຈາກຊ່ອງຄົ້ນຫາ ໄປຫາລາຍການ</translation>
    </message>
    <message>
        <source>Go to the field whose label has it underlined</source>
        <translation>ໄປຫາຊ່ອງທີ່ມີຕົວອັກສອນນັ້ນຂີດກ້ອງໃນຊື່</translation>
    </message>
    <message>
        <source>Hand over (collected)</source>
        <translation>ສົ່ງມອບຜົນ</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>ອອກຈາກລະບົບ</translation>
    </message>
    <message>
        <source>Mark in process</source>
        <translation>ເລີ່ມດຳເນີນການ</translation>
    </message>
    <message>
        <source>Mark ready</source>
        <translation>ພ້ອມໃຫ້ຮັບຜົນ</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>ປະຕິເສດ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ການຕັ້ງຄ່າ</translation>
    </message>
    <message>
        <source>Switch user (lock the window for the next user)</source>
        <translation>ປ່ຽນຜູ້ໃຊ້ (ລັອກໜ້າຕ່າງໄວ້ໃຫ້ຜູ້ໃຊ້ຄົນຕໍ່ໄປ)</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>ປ່ຽນຜູ້ໃຊ້…</translation>
    </message>
    <message>
        <source>Taking a payment</source>
        <translation>ການຮັບເງິນ</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>ຖອນຄຳຮ້ອງ</translation>
    </message>
</context>
<context>
    <name>OfficePage</name>
    <message>
        <source>{problem}. Write it as {code}.</source>
        <translation>{problem}. ໃຫ້ຂຽນເປັນ {code}.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Go on with the setup</source>
        <translation>ຕັ້ງຄ່າຕໍ່</translation>
    </message>
    <message>
        <source>Quit setup</source>
        <translation>ອອກຈາກການຕັ້ງຄ່າ</translation>
    </message>
    <message>
        <source>Quit setup? Nothing is saved.</source>
        <translation>ອອກຈາກການຕັ້ງຄ່າບໍ? ບໍ່ມີຫຍັງຖືກບັນທຶກ.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Close</source>
        <translation>ປິດ</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>ປຸ່ມ</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>ປຸ່ມລັດ</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>ໃຊ້ເຮັດຫຍັງ</translation>
    </message>
</context>
</TS>
