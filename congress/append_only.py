"""The append-only tables of the audit trail, for the migrations that make them so.

`congress_audit_refuse_change()` (congress migration 0009) refuses UPDATE and DELETE on a row; only a
prune (the session sets `congress.audit_prune`) may delete, and only rows older than six months. Each
app's migration that adds history tables calls `append_only(...)` with its tables: one trigger per
table, named `<table>_append_only`, dropped again when the migration is reversed.
"""

from __future__ import annotations

from django.db import migrations


def trigger_sql(table: str, timestamp: str = "history_date") -> str:
    """The trigger that keeps `table` append-only; `timestamp` is the column a prune measures age by."""
    return (
        f"CREATE TRIGGER {table}_append_only\n"
        f"    BEFORE UPDATE OR DELETE ON {table}\n"
        f"    FOR EACH ROW EXECUTE FUNCTION congress_audit_refuse_change('{timestamp}');\n"
    )


def drop_trigger_sql(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n"


def append_only(*tables: str, timestamp: str = "history_date") -> migrations.RunSQL:
    """A migration operation that makes each of `tables` append-only (and undoes it when reversed)."""
    return migrations.RunSQL(
        "\n".join(trigger_sql(table, timestamp) for table in tables),
        "".join(drop_trigger_sql(table) for table in tables),
    )
