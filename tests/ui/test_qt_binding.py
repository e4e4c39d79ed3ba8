"""Guards the pinned Qt binding: PySide6 6.12.0 on Python 3.11 dropped a reference to None on
every void call and to True on every signal emit, killing the app after a few thousand calls."""

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(bool)


def test_many_void_calls_and_emits_do_not_corrupt_the_interpreter(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    seen = []
    emitter.fired.connect(seen.append)
    for n in range(20_000):
        label.setText(str(n))
        emitter.fired.emit(True)
    assert label.text() == "19999"
    assert len(seen) == 20_000
