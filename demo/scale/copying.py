"""Loading rows fast: PostgreSQL's COPY from an in-memory buffer for the big tables, bulk_create for the
small ones, the tables' indexes and foreign keys dropped while loading and rebuilt once after, and a
progress line per table on stderr."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

COPY_CHUNK = 50_000

M = TypeVar("M", bound=models.Model)


class Progress:
    """One line per table on stderr: `visits  [########            ]  240000/600000  3.1 s`."""

    def __init__(self, label: str, total: int, out: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.out = out if out is not None else sys.stderr
        self.started = time.monotonic()
        self._drawn = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        step = self.done * 20 // self.total
        if step != self._drawn:
            self._drawn = step
            self._draw("\r")

    def finish(self) -> float:
        self.done = self.total
        seconds = time.monotonic() - self.started
        self._draw("\r", end="\n")
        return seconds

    def _draw(self, start: str, end: str = "") -> None:
        filled = min(20, self.done * 20 // self.total)
        seconds = time.monotonic() - self.started
        line = f"{self.label:<22} [{'#' * filled}{' ' * (20 - filled)}] {self.done:>9}/{self.total:<9} {seconds:6.1f} s"
        self.out.write(start + line + end)
        self.out.flush()


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return _copy_text(json.dumps(value, ensure_ascii=False))
    return str(value)


def copy_rows(
    model: type[models.Model] | Any,
    fields: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    total: int,
    label: str | None = None,
) -> int:
    """COPY `rows` (tuples in the order of `fields`) into the model's table; fields left out get their
    model default. Returns the number of rows."""
    meta = model._meta
    given: list[Any] = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f.name not in fields and not (f.primary_key and "id" not in fields)]
    now = timezone.now()
    tail = tuple(_copy_text(now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
                            else f.get_default()) for f in rest)  # fmt: skip
    columns = ", ".join(f'"{f.column}"' for f in [*given, *rest])
    sql = f'COPY "{meta.db_table}" ({columns}) FROM STDIN'
    progress = Progress(label or meta.db_table, total)
    count = 0
    buffer = io.StringIO()
    in_buffer = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor for copy_expert

        def flush() -> None:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            buffer.write("\t".join([*(_copy_text(v) for v in row), *tail]))
            buffer.write("\n")
            in_buffer += 1
            if in_buffer == COPY_CHUNK:
                flush()
                count += in_buffer
                progress.advance(in_buffer)
                in_buffer = 0
        if in_buffer:
            flush()
            count += in_buffer
    progress.finish()
    return count


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After COPY with explicit ids, move each identity sequence past the largest id."""
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 (a model's table name)
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',
                [table],
            )


@contextmanager
def loading(models_: Sequence[type[models.Model] | Any]) -> Iterator[None]:
    """Load the tables without their secondary indexes and foreign keys, then put them back.

    Rebuilding an index and validating a foreign key once over the whole table is many times faster
    than maintaining them row by row; the constraints are checked all the same when they come back,
    and the whole load is one transaction, so a failure leaves the tables as they were.
    """
    tables = [m._meta.db_table for m in models_]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype",
            [tables],
        )
        constraints = cursor.fetchall()  # foreign keys first, then unique constraints
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        progress = Progress("indexes, constraints", len(indexes) + len(constraints))
        for definition, _name in indexes:
            cursor.execute(definition)
            progress.advance()
        for table, name, definition, _kind in reversed(constraints):
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            progress.advance()
        progress.finish()


def bulk(model: type[M], objs: list[M], label: str | None = None) -> list[M]:
    """bulk_create in batches of 2,000 through the model's default manager (for every model here its
    `objects`; an automatic through model has no other)."""
    progress = Progress(label or model._meta.db_table, len(objs))
    created: list[M] = []
    for start in range(0, len(objs), 2_000):
        created.extend(model._default_manager.bulk_create(objs[start : start + 2_000]))
        progress.advance(len(objs[start : start + 2_000]))
    progress.finish()
    return created
