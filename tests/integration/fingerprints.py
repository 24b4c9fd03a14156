"""Row counts and checksums of tables, to compare one database with another or with itself later."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg2 import sql

from congress import backups


def primary_key(cursor, table: str) -> list[str]:
    """The columns of the table's primary key, in key order."""
    cursor.execute(
        """
        SELECT a.attname
        FROM pg_index i
        CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = %s::regclass AND i.indisprimary
        ORDER BY k.position
        """,
        [sql.Identifier(table).as_string(cursor)],
    )
    return [name for (name,) in cursor.fetchall()]


def fingerprint(cursor, table: str) -> tuple[int, str]:
    """How many rows a table has and an md5 of all of them in primary-key order (whole rows if it has none)."""
    key = primary_key(cursor, table)
    order = sql.SQL(", ").join(sql.Identifier("t", column) for column in key) if key else sql.SQL("t::text")
    cursor.execute(
        sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY {}), '')) FROM {} AS t").format(
            order, sql.Identifier(table)
        )
    )
    count, digest = cursor.fetchone()
    return count, digest


def public_tables(cursor) -> set[str]:
    """The names of the ordinary tables in schema public."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in cursor.fetchall()}


def fingerprints(dbname: str, tables: Iterable[str] | None = None) -> dict[str, tuple[int, str]]:
    """The fingerprint of each named table of the database, or of every table in schema public."""
    server, _ = backups.default_server()
    conn = server.connect(dbname)
    try:
        with conn.cursor() as cursor:
            names = public_tables(cursor) if tables is None else tables
            return {table: fingerprint(cursor, table) for table in sorted(names)}
    finally:
        conn.close()
