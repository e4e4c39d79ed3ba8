; Inno Setup script: the Windows installer for the one-folder build, dist\odsc-desk\.
; Build steps: packaging\windows\BUILD.md. Written for Inno Setup 6; not compiled or run in this
; project's CI (Linux only).
;
;   iscc /DAppVersion=0.1.0 packaging\windows\odsc-desk.iss
;
; Installs to Program Files\ODSC Desk (both odsc-desk.exe and odsc.exe, one set of libraries),
; adds a Start-menu shortcut (and, if chosen, a desktop one) and an uninstaller. The counter's
; data is not in the program folder (it is in %LOCALAPPDATA%\odsc-desk, or the folder chosen
; with --data-dir): uninstalling or upgrading never touches it.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z packaging\windows\odsc-desk.iss (see BUILD.md)
#endif

[Setup]
; The same AppId for every version: a new installer upgrades the installed one in place.
AppId={{17AC8270-B84E-4A30-901D-F5C28D7D15EE}
AppName=ODSC Desk
AppVersion={#AppVersion}
AppVerName=ODSC Desk {#AppVersion}
DefaultDirName={autopf}\ODSC Desk
DefaultGroupName=ODSC Desk
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=odsc-desk-{#AppVersion}-setup
SetupIconFile=odsc-desk.ico
UninstallDisplayIcon={app}\odsc-desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running copy holds its files open: ask to close it before replacing them.
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Lao: Lao.isl translates the pages a clerk sees (and this script's own
; texts) over the English defaults; rarer messages (disk errors, restarts) stay in English.
Name: "lo"; MessagesFile: "compiler:Default.isl,Lao.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\odsc-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

; Files left over from an older version would be loaded by the new one: remove the old
; library folder before copying the new one in.
[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\ODSC Desk"; Filename: "{app}\odsc-desk.exe"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:UninstallProgram,ODSC Desk}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\ODSC Desk"; Filename: "{app}\odsc-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\odsc-desk.exe"; Description: "{cm:LaunchProgram,ODSC Desk}"; Flags: nowait postinstall skipifsilent

; English texts of this installer; the Lao ones are in Lao.isl (this file stays ASCII).
[Messages]
en.ConfirmUninstall=Are you sure you want to remove %1? The counter's data (its store and backups) is kept.

[CustomMessages]
en.AppComment=Requests, fees and receipts at the One-Door Service counter
