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


def fingerprint(cursor, table: str, columns: Iterable[str] | None = None) -> tuple[int, str]:
    """How many rows a table has and an md5 of all of them in primary-key order (whole rows if it has none).

    With `columns`, only those columns of each row count: a table compared with itself before a migration
    that added a column."""
    key = primary_key(cursor, table)
    order = sql.SQL(", ").join(sql.Identifier("t", column) for column in key) if key else sql.SQL("t::text")
    row = (
        sql.SQL("ROW({})::text").format(sql.SQL(", ").join(sql.Identifier("t", column) for column in columns))
        if columns is not None
        else sql.SQL("t::text")
    )
    cursor.execute(
        sql.SQL("SELECT count(*), md5(coalesce(string_agg({}, '|' ORDER BY {}), '')) FROM {} AS t").format(
            row, order, sql.Identifier(table)
        )
    )
    count, digest = cursor.fetchone()
    return count, digest


def table_columns(cursor) -> dict[str, list[str]]:
    """The columns of each table in schema public, in their order."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY table_name, ordinal_position"
    )
    found: dict[str, list[str]] = {}
    for table, column in cursor.fetchall():
        found.setdefault(table, []).append(column)
    return found


def columns_of(dbname: str) -> dict[str, list[str]]:
    server, _ = backups.default_server()
    conn = server.connect(dbname)
    try:
        with conn.cursor() as cursor:
            return table_columns(cursor)
    finally:
        conn.close()


def public_tables(cursor) -> set[str]:
    """The names of the ordinary tables in schema public."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in cursor.fetchall()}


def fingerprints(
    dbname: str, tables: Iterable[str] | None = None, columns: dict[str, list[str]] | None = None
) -> dict[str, tuple[int, str]]:
    """The fingerprint of each named table of the database, or of every table in schema public; with
    `columns`, of those columns of each table named there (the rest whole)."""
    server, _ = backups.default_server()
    conn = server.connect(dbname)
    try:
        with conn.cursor() as cursor:
            names = public_tables(cursor) if tables is None else tables
            existing = table_columns(cursor)
            return {
                table: fingerprint(
                    cursor,
                    table,
                    [c for c in columns[table] if c in existing.get(table, ())]
                    if columns and table in columns
                    else None,
                )
                for table in sorted(names)
            }
    finally:
        conn.close()
