<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../print_preview.py" line="168"/>
        <source>Print preview</source>
        <translation>ເບິ່ງກ່ອນພິມ</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="170"/>
        <source>Printer: {printer}</source>
        <translation>ເຄື່ອງພິມ: {printer}</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="171"/>
        <source>Print (Enter)</source>
        <translation>ພິມ (Enter)</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="172"/>
        <source>Do not print (Esc)</source>
        <translation>ບໍ່ພິມ (Esc)</translation>
    </message>
</context>
<context>
    <name>PrintStatus</name>
    <message>
        <location filename="../print_preview.py" line="32"/>
        <source>Receipt {name}</source>
        <translation>ໃບຮັບເງິນ {name}</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="33"/>
        <source>Receipt {name} (copy)</source>
        <translation>ໃບຮັບເງິນ {name} (ສຳເນົາ)</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="34"/>
        <source>Appointment slip {name}</source>
        <translation>ໃບນັດຮັບຜົນ {name}</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="35"/>
        <source>Daily summary of {name}</source>
        <translation>ລາຍງານປະຈຳວັນ ວັນທີ {name}</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="85"/>
        <source>The document could not be made. The error is in the log.</source>
        <translation>ເຮັດເອກະສານບໍ່ສຳເລັດ. ລາຍລະອຽດຂອງຂໍ້ຜິດພາດຢູ່ໃນບັນທຶກລະບົບ (log).</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="88"/>
        <source>{document} was sent to the printer {printer}.</source>
        <translation>{document} ສົ່ງໄປທີ່ເຄື່ອງພິມ {printer} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="92"/>
        <source>{document} could not be printed.</source>
        <translation>{document} ພິມບໍ່ໄດ້.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="94"/>
        <source>{document} was not printed.</source>
        <translation>{document} ບໍ່ໄດ້ພິມ.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="96"/>
        <source>{document} was not printed. Its PDF is kept as {path}.</source>
        <translation>{document} ບໍ່ໄດ້ພິມ. ໄຟລ໌ PDF ຂອງມັນເກັບໄວ້ທີ່ {path}.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="99"/>
        <source>{document} was saved as {path}.</source>
        <translation>{document} ບັນທຶກເປັນ {path} ແລ້ວ.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="101"/>
        <source>The printer {printer} could not be used.</source>
        <translation>ໃຊ້ເຄື່ອງພິມ {printer} ບໍ່ໄດ້.</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="105"/>
        <source>No PDF viewer opened it: open it from that folder.</source>
        <translation>ບໍ່ມີໂປຣແກຣມໃດເປີດໄຟລ໌ນີ້: ກະລຸນາເປີດມັນຈາກໂຟນເດີນັ້ນ.</translation>
    </message>
</context>
</TS>
