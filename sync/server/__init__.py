"""The centre's sync server: FastAPI over SQLAlchemy Core, on SQLite or PostgreSQL.

`app.create_app(database)` is the ASGI app; `cli.main` is the `odsc-server` command.
"""
