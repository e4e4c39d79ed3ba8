; Lao messages for ODSC Desk's installer (packaging/windows/odsc-desk.iss), read over Inno
; Setup's English Default.isl: the pages and buttons a clerk sees are in Lao, rarer messages
; (disk errors, restarts, registry) fall back to English. Saved as UTF-8 with a BOM, which is how
; Inno Setup 6 knows to read it as Unicode.

[LangOptions]
LanguageName=ລາວ
LanguageID=$0454
LanguageCodePage=0

[Messages]
SetupAppTitle=ຕິດຕັ້ງ
SetupWindowTitle=ຕິດຕັ້ງ - %1
UninstallAppTitle=ຖອນການຕິດຕັ້ງ
UninstallAppFullTitle=ຖອນການຕິດຕັ້ງ %1
ExitSetupTitle=ອອກຈາກການຕິດຕັ້ງ
ExitSetupMessage=ການຕິດຕັ້ງຍັງບໍ່ສຳເລັດ. ຖ້າອອກດຽວນີ້, ໂປຣແກຣມຈະບໍ່ຖືກຕິດຕັ້ງ.%n%nທ່ານເປີດການຕິດຕັ້ງຄືນໃໝ່ໄດ້ໃນພາຍຫຼັງ.%n%nອອກຈາກການຕິດຕັ້ງບໍ?
AdminPrivilegesRequired=ຕ້ອງເຂົ້າລະບົບເປັນຜູ້ດູແລ (administrator) ຈຶ່ງຈະຕິດຕັ້ງໂປຣແກຣມນີ້ໄດ້.
SetupAppRunningError=%1 ກຳລັງເປີດຢູ່.%n%nກະລຸນາປິດມັນທັງໝົດ, ແລ້ວກົດ ຕົກລົງ ເພື່ອດຳເນີນການຕໍ່, ຫຼື ຍົກເລີກ ເພື່ອອອກ.
UninstallAppRunningError=%1 ກຳລັງເປີດຢູ່.%n%nກະລຸນາປິດມັນທັງໝົດ, ແລ້ວກົດ ຕົກລົງ ເພື່ອດຳເນີນການຕໍ່, ຫຼື ຍົກເລີກ ເພື່ອອອກ.
ButtonBack=< ກັບຄືນ (&B)
ButtonNext=ຕໍ່ໄປ (&N) >
ButtonInstall=ຕິດຕັ້ງ (&I)
ButtonOK=ຕົກລົງ
ButtonCancel=ຍົກເລີກ
ButtonYes=ແມ່ນ (&Y)
ButtonYesToAll=ແມ່ນທັງໝົດ (&A)
ButtonNo=ບໍ່ (&N)
ButtonNoToAll=ບໍ່ທັງໝົດ (&O)
ButtonFinish=ສຳເລັດ (&F)
ButtonBrowse=ເລືອກ... (&B)
ButtonWizardBrowse=ເລືອກ... (&R)
SelectLanguageTitle=ເລືອກພາສາຂອງການຕິດຕັ້ງ
SelectLanguageLabel=ເລືອກພາສາທີ່ຈະໃຊ້ໃນເວລາຕິດຕັ້ງ:
ClickNext=ກົດ ຕໍ່ໄປ ເພື່ອດຳເນີນການຕໍ່, ຫຼື ຍົກເລີກ ເພື່ອອອກຈາກການຕິດຕັ້ງ.
WelcomeLabel1=ຍິນດີຕ້ອນຮັບສູ່ການຕິດຕັ້ງ [name]
WelcomeLabel2=ຈະຕິດຕັ້ງ [name/ver] ໃສ່ຄອມພິວເຕີຂອງທ່ານ.%n%nຄວນປິດໂປຣແກຣມອື່ນທັງໝົດກ່ອນດຳເນີນການຕໍ່.
WizardSelectDir=ເລືອກບ່ອນຕິດຕັ້ງ
SelectDirDesc=ຈະຕິດຕັ້ງ [name] ໄວ້ຢູ່ໃສ?
SelectDirLabel3=ຈະຕິດຕັ້ງ [name] ໄວ້ໃນໂຟນເດີລຸ່ມນີ້.
SelectDirBrowseLabel=ກົດ ຕໍ່ໄປ ເພື່ອດຳເນີນການຕໍ່. ຖ້າຢາກໄດ້ໂຟນເດີອື່ນ, ກົດ ເລືອກ.
DiskSpaceMBLabel=ຕ້ອງມີບ່ອນວ່າງໃນດິສຢ່າງໜ້ອຍ [mb] MB.
WizardSelectTasks=ເລືອກວຽກເພີ່ມເຕີມ
SelectTasksDesc=ຈະໃຫ້ເຮັດຫຍັງເພີ່ມເຕີມ?
SelectTasksLabel2=ເລືອກສິ່ງທີ່ຈະເຮັດເພີ່ມເຕີມໃນເວລາຕິດຕັ້ງ [name], ແລ້ວກົດ ຕໍ່ໄປ.
WizardReady=ພ້ອມຕິດຕັ້ງ
ReadyLabel1=ພ້ອມແລ້ວທີ່ຈະເລີ່ມຕິດຕັ້ງ [name] ໃສ່ຄອມພິວເຕີຂອງທ່ານ.
ReadyLabel2a=ກົດ ຕິດຕັ້ງ ເພື່ອເລີ່ມ, ຫຼື ກົດ ກັບຄືນ ຖ້າຢາກກວດ ຫຼື ປ່ຽນການຕັ້ງຄ່າ.
ReadyLabel2b=ກົດ ຕິດຕັ້ງ ເພື່ອເລີ່ມ.
ReadyMemoDir=ບ່ອນຕິດຕັ້ງ:
ReadyMemoGroup=ໂຟນເດີໃນເມນູ Start:
ReadyMemoTasks=ວຽກເພີ່ມເຕີມ:
WizardPreparing=ກຳລັງກຽມການຕິດຕັ້ງ
PreparingDesc=ກຳລັງກຽມການຕິດຕັ້ງ [name] ໃສ່ຄອມພິວເຕີຂອງທ່ານ.
ApplicationsFound=ໂປຣແກຣມລຸ່ມນີ້ກຳລັງໃຊ້ໄຟລ໌ທີ່ຕ້ອງປ່ຽນໃໝ່. ຄວນໃຫ້ການຕິດຕັ້ງປິດພວກມັນເອງ.
ApplicationsFound2=ໂປຣແກຣມລຸ່ມນີ້ກຳລັງໃຊ້ໄຟລ໌ທີ່ຕ້ອງປ່ຽນໃໝ່. ຄວນໃຫ້ການຕິດຕັ້ງປິດພວກມັນເອງ. ເມື່ອຕິດຕັ້ງແລ້ວ, ຈະເປີດພວກມັນຄືນໃຫ້.
CloseApplications=ປິດໂປຣແກຣມເຫຼົ່ານີ້ເອງ (&A)
DontCloseApplications=ບໍ່ຕ້ອງປິດ (&D)
WizardInstalling=ກຳລັງຕິດຕັ້ງ
InstallingLabel=ກະລຸນາລໍຖ້າ, ກຳລັງຕິດຕັ້ງ [name] ໃສ່ຄອມພິວເຕີຂອງທ່ານ.
FinishedHeadingLabel=ຕິດຕັ້ງ [name] ສຳເລັດແລ້ວ
FinishedLabelNoIcons=ຕິດຕັ້ງ [name] ໃສ່ຄອມພິວເຕີຂອງທ່ານສຳເລັດແລ້ວ.
FinishedLabel=ຕິດຕັ້ງ [name] ໃສ່ຄອມພິວເຕີຂອງທ່ານສຳເລັດແລ້ວ. ເປີດໂປຣແກຣມໄດ້ຈາກທາງລັດທີ່ສ້າງໄວ້.
ClickFinish=ກົດ ສຳເລັດ ເພື່ອອອກຈາກການຕິດຕັ້ງ.
RunEntryExec=ເປີດ %1
SetupAborted=ການຕິດຕັ້ງບໍ່ສຳເລັດ.%n%nກະລຸນາແກ້ໄຂບັນຫາ ແລ້ວເປີດການຕິດຕັ້ງຄືນໃໝ່.
StatusClosingApplications=ກຳລັງປິດໂປຣແກຣມ...
StatusCreateDirs=ກຳລັງສ້າງໂຟນເດີ...
StatusExtractFiles=ກຳລັງວາງໄຟລ໌...
StatusCreateIcons=ກຳລັງສ້າງທາງລັດ...
StatusSavingUninstall=ກຳລັງບັນທຶກຂໍ້ມູນສຳລັບຖອນການຕິດຕັ້ງ...
StatusRunProgram=ກຳລັງສຳເລັດການຕິດຕັ້ງ...
StatusRollback=ກຳລັງຍົກເລີກການປ່ຽນແປງ...
ConfirmUninstall=ຈະລຶບ %1 ອອກແທ້ບໍ? ຂໍ້ມູນຂອງປ່ອງບໍລິການ (ຖານຂໍ້ມູນ ແລະ ສຳເນົາສຳຮອງ) ຈະບໍ່ຖືກລຶບ.
UninstallStatusLabel=ກະລຸນາລໍຖ້າ, ກຳລັງລຶບ %1 ອອກຈາກຄອມພິວເຕີຂອງທ່ານ.
UninstalledAll=ລຶບ %1 ອອກຈາກຄອມພິວເຕີຂອງທ່ານແລ້ວ.
UninstalledMost=ຖອນການຕິດຕັ້ງ %1 ແລ້ວ.%n%nມີບາງສ່ວນທີ່ລຶບບໍ່ໄດ້; ລຶບເອງໄດ້.
WizardUninstalling=ການຖອນການຕິດຕັ້ງ
StatusUninstalling=ກຳລັງຖອນການຕິດຕັ້ງ %1...

[CustomMessages]
NameAndVersion=%1 ລຸ້ນ %2
AdditionalIcons=ທາງລັດເພີ່ມເຕີມ:
CreateDesktopIcon=ສ້າງທາງລັດໄວ້ໃນໜ້າຈໍ (&D)
UninstallProgram=ຖອນການຕິດຕັ້ງ %1
LaunchProgram=ເປີດ %1
AppComment=ຮັບຄຳຮ້ອງ, ເກັບຄ່າທຳນຽມ ແລະ ອອກໃບຮັບເງິນ ຢູ່ປ່ອງບໍລິການປະຕູດຽວ
