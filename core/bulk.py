"""Writing many rows' columns at once.

`bulk_update` builds one CASE WHEN per row and field as ORM expressions: for 100,000 rows the building costs
more than the database's work. On PostgreSQL the rows go as one UPDATE … FROM (VALUES …) per batch; elsewhere
(SQLite) Django's bulk_update does it.
"""

from django.db import connection


def update_columns(model, objs, fields: list[str], *, batch_size: int = 2000) -> int:
    """Write `fields` of `objs` (saved instances) to their rows. Returns the number of rows written."""
    objs = list(objs)
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields, batch_size=batch_size)
        return len(objs)
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(f.column)} = v.{q(f.column)}::{f.db_type(connection)}" for f in columns)
    names = ", ".join(q(c) for c in [pk.column, *[f.column for f in columns]])
    row = "(" + ", ".join(["%s"] * (1 + len(columns))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params = []
            for obj in batch:
                params.append(obj.pk)
                params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns)
            cursor.execute(
                f"UPDATE {table} AS t SET {sets} FROM (VALUES {', '.join([row] * len(batch))}) AS v({names}) "
                f"WHERE t.{q(pk.column)} = v.{q(pk.column)}::{pk.db_type(connection)}",
                params,
            )
    return len(objs)
