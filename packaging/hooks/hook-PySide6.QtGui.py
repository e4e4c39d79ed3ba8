"""PySide6.QtGui, as PyInstaller's own hook collects it, less the plugins a counter PC never uses.

Filtering here, before PyInstaller follows each plugin's linked libraries, also keeps out what
only those plugins need (the GTK stack for the GTK theme, QtWaylandClient, QtNetwork for VNC).
Wayland sessions run the window through XWayland with the xcb plugin, which every Wayland
desktop provides; the offscreen plugin stays for `odsc-desk --self-test` without a display.
"""

import re

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_UNUSED = re.compile(
    r"plugins/("
    r"egldeviceintegrations|generic|wayland-[a-z-]+"  # embedded boards, touch input, Wayland
    r"|platformthemes/libqgtk3"  # GTK's look: would need GTK 3 itself
    r"|platforms/(lib)?q(eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc|wayland)"
    r")"
)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if not _UNUSED.search(src.replace("\\", "/"))]
