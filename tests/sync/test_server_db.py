"""The centre's database: migrations build exactly the declared tables, on both databases."""

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from sync.server.db import (
    DatabaseUnusable,
    DatabaseUrlError,
    database_url,
    make_engine,
    metadata,
    open_db,
    reading,
    writing,
)
from tests.sync.conftest import centre_database, free_port


def test_the_migrated_schema_is_the_declared_one(server_db_url):
    engine = open_db(server_db_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert differences == []
        assert head == "0020"
        assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}
    finally:
        engine.dispose()


def test_opening_again_and_from_two_threads_at_once_migrates_once(server_db_url):
    engines, errors = [], []
    start = threading.Barrier(2)

    def open_it():
        start.wait()
        try:
            engines.append(open_db(server_db_url))
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    again = open_db(server_db_url)  # already at head: nothing to do, nothing fails
    for engine in [*engines, again]:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar_one() == 1
        engine.dispose()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path):
    engine = open_db(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 30_000
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/odsc", "sqlite://", "sqlite:///:memory:", "not a url", "http://x/y"],
)
def test_a_database_url_the_server_cannot_use_is_refused(url):
    with pytest.raises(DatabaseUrlError):
        database_url(url)


def test_postgresql_urls_use_psycopg_3():
    assert database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert database_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_an_unreachable_postgresql_is_reported_as_unusable():
    with pytest.raises(DatabaseUnusable, match=r"127\.0\.0\.1"):
        open_db(f"postgresql://postgres@127.0.0.1:{free_port()}/nothing")


def test_an_sqlite_file_in_a_missing_folder_is_reported_as_unusable(tmp_path):
    with pytest.raises(DatabaseUnusable):
        open_db(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 's.sqlite3'}")


def test_a_database_from_a_newer_server_is_refused_untouched(server_db_url):
    engine = open_db(server_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseUnusable, match="newer"):
        open_db(server_db_url)
    engine = make_engine(server_db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999"
    engine.dispose()


def test_a_file_that_is_not_a_database_is_reported_as_unusable(tmp_path):
    path = tmp_path / "server.sqlite3"
    path.write_bytes(b"this is not an SQLite file, it is a letter" * 100)
    with pytest.raises(DatabaseUnusable, match="not a database"):
        open_db(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"this is not")


def test_a_read_leaves_the_statements_a_push_prepared_on_its_connection(tmp_path):
    # psycopg prepares a statement run five times on a connection and forgets them all when the
    # connection rolls back: a read ending in ROLLBACK between two pushes made the second parse
    # its statements afresh (db.reading).
    with centre_database("postgresql", tmp_path) as url:
        engine = open_db(url)
        try:
            pushed = text("SELECT count(*) FROM ops WHERE op_id = :id")
            for _ in range(6):  # one connection, taken back each time: the pool has no other
                with writing(engine) as conn:
                    conn.execute(pushed, {"id": "x"})
            with reading(engine) as conn:
                assert conn.execute(text("SELECT count(*) FROM devices")).scalar_one() == 0
            with reading(engine) as conn:
                prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements"))
                assert any("FROM ops WHERE" in s for s in prepared.scalars())
        finally:
            engine.dispose()


def test_a_read_that_fails_is_rolled_back(server_db_url):
    engine = open_db(server_db_url)
    try:
        count = text("SELECT count(*) FROM offices")
        with reading(engine) as conn:
            before = conn.execute(count).scalar_one()
        with pytest.raises(ZeroDivisionError), reading(engine) as conn:
            conn.execute(
                text("INSERT INTO offices (code, registered_at) VALUES ('X-1', '2026-12-05')")
            )
            raise ZeroDivisionError
        with reading(engine) as conn:
            assert conn.execute(count).scalar_one() == before
    finally:
        engine.dispose()
