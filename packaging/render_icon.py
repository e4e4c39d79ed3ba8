"""Render the icon, packaging/linux/odsc-desk.svg, into the files the installers use.

    .venv/bin/python packaging/render_icon.py

writes packaging/linux/odsc-desk.png (256 px, for the .deb) and packaging/windows/odsc-desk.ico
(16 to 256 px, for the Windows programs and installer). Both are committed: run this again only
after changing the SVG. Each size is rendered from the SVG, not scaled down from 256 px, so the
small ones stay sharp.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

PACKAGING = Path(__file__).resolve().parent
SVG = PACKAGING / "linux" / "odsc-desk.svg"
PNG = PACKAGING / "linux" / "odsc-desk.png"
ICO = PACKAGING / "windows" / "odsc-desk.ico"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico holding PNG images (read by Windows Vista and later): a 6-byte header, one
    16-byte entry per image, then the images. A width or height of 256 is written as 0."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        side = size % 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts for the SVG's text need it
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    PNG.write_bytes(render(renderer, 256))
    ICO.write_bytes(ico({size: render(renderer, size) for size in ICO_SIZES}))
    print(f"wrote {PNG} and {ICO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
