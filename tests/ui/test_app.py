from ui.app import build_window


def test_holding_window_names_the_data_folder(qtbot, tmp_path):
    window = build_window(tmp_path)
    qtbot.addWidget(window)
    window.show()
    text = window.centralWidget().text()
    assert str(tmp_path) in text
    assert "ODSC Desk" in window.windowTitle()
