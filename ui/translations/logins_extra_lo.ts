<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>AccountsDialog</name>
    <message>
        <source>At least {minimum} characters, not the user name and not a common password, typed twice. Give it to the new user in person: it cannot be recovered.</source>
        <translation>ຢ່າງໜ້ອຍ {minimum} ຕົວອັກສອນ, ບໍ່ແມ່ນຊື່ຜູ້ໃຊ້ ແລະ ບໍ່ແມ່ນລະຫັດຜ່ານທີ່ຄົນໃຊ້ຫຼາຍ, ພິມສອງເທື່ອ. ບອກໃຫ້ຜູ້ໃຊ້ໃໝ່ດ້ວຍຕົນເອງ: ລະຫັດຜ່ານກູ້ຄືນບໍ່ໄດ້.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>At least {minimum} characters, not the user name and not a common password. Keep it safe: it cannot be recovered.</source>
        <translation>ຢ່າງໜ້ອຍ {minimum} ຕົວອັກສອນ, ບໍ່ແມ່ນຊື່ຜູ້ໃຊ້ ແລະ ບໍ່ແມ່ນລະຫັດຜ່ານທີ່ຄົນໃຊ້ຫຼາຍ. ຈື່ໄວ້ໃຫ້ດີ: ຖ້າລືມ ຈະກູ້ຄືນບໍ່ໄດ້.</translation>
    </message>
</context>
</TS>
