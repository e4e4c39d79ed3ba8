"""Alembic migrations of the centre's database (run by db.upgrade)."""
