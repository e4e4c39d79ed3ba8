"""The end-to-end tests use the UI fixtures (compiled translations, language)."""

from tests.ui.conftest import lang, qm_folder  # noqa: F401 - fixtures, found by name
