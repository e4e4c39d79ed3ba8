"""reportlab.graphics.barcode: importing the package builds every barcode widget, and the
widgets import their encoders from strings (exec), which PyInstaller cannot follow. The
receipts' QR code comes through this package, so all of its modules go in (pure Python, small).
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("reportlab.graphics.barcode")
