<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="lo_LA">
<context>
    <name>RequestDetail</name>
    <message>
        <source>Taken at counter {counter}: shown here, served there. As of {time}.</source>
        <translation>ຮັບຢູ່ປ່ອງ {counter}: ເບິ່ງໄດ້ຢູ່ນີ້, ບໍລິການຢູ່ປ່ອງນັ້ນ. ຂໍ້ມູນເຖິງ {time}.</translation>
    </message>
    <message>
        <source>Taken at counter {counter}: its status and payments can be done here too. As of {time}.</source>
        <translation>ຮັບຢູ່ປ່ອງ {counter}: ປ່ຽນສະຖານະ ແລະ ຮັບເງິນຢູ່ນີ້ກໍ່ໄດ້. ຂໍ້ມູນເຖິງ {time}.</translation>
    </message>
</context>
</TS>
