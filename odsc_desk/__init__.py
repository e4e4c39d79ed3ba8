"""ODSC Desk core: the counter's local ledger and its rules. Never imports Qt."""

__version__ = "0.1.0"
