"""Keeping the store healthy: backups and restore, the integrity check, diagnostics, logs."""
