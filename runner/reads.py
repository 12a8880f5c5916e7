"""The reads the runner makes around every step, as SQL written once, several in one round trip.

After each step a worker reads its run's step statuses, the steps that became ready, their cache
entries and what their nodes' last runs were keyed by. Through the ORM each of those costs a
query built and compiled anew (about as much CPU as the database takes to answer it) and a round
trip. Here each is a SELECT whose text is fixed but for the length of its IN lists, and
`read_together` sends several at once: on PostgreSQL as one string of statements, which psycopg's
client-side binding sends as one simple query and whose result sets its cursor steps through.
SQLite is in-process (no round trip to save): the statements run one after another.

Values come back through the fields' own database converters, as the ORM would return them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def quoted(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class Columns(Generic[M]):
    """Some fields of `model` as a SELECT lists them (table `alias`), and how their raw values
    become Python ones. In the model's field order, which Model.from_db expects."""

    def __init__(self, model: type[M], names: Sequence[str], alias: str = "") -> None:
        wanted = {model._meta.get_field(name) for name in names}
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if field in wanted]
        self.names = [field.attname for field in self.fields]
        self.alias = alias or model._meta.db_table

    @classmethod
    def all_but(cls, model: type[M], excluded: Sequence[str] = (), alias: str = "") -> "Columns[M]":
        """All fields of `model` but the `excluded` ones (large ones, read when asked for)."""
        return cls(model, [field.name for field in model._meta.concrete_fields if field.name not in excluded], alias)

    @cached_property  # one vendor per process, so one quoting
    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields)

    @cached_property
    def _converters(self) -> list[tuple[int, list[Converter], Any]]:
        # The database's converters, then the field's (as the ORM's compiler orders them);
        # one vendor per process, so they are looked up once.
        found = []
        for position, field in enumerate(self.fields):
            column = field.get_col(self.alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                found.append((position, converters, column))
        return found

    def values(self, row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for position, converters, column in self._converters:
            for convert in converters:
                values[position] = convert(values[position], column, connection)
        return values

    def instances(self, rows: Sequence[Sequence[Any]]) -> list[M]:
        """Model instances (the other fields deferred) of rows that select exactly these columns."""
        return [self.instance(row) for row in rows]

    def instance(self, row: Sequence[Any]) -> M:
        return self.model.from_db(connection.alias, self.names, self.values(row))


def joined(row: Sequence[Any], *columns: Columns[Any]) -> list[Model]:
    """One instance per `columns` from a row that selects them one after another (a join)."""
    instances, start = [], 0
    for part in columns:
        instances.append(part.instance(row[start : start + len(part.fields)]))
        start += len(part.fields)
    return instances


@dataclass(frozen=True)
class Statement:
    """SQL with `%s` placeholders, and its parameters."""

    sql: str
    params: Sequence[Any]


def placeholders(values: Sequence[Any]) -> str:
    """`%s, %s, ...` for an IN list of `values` (which must not be empty)."""
    if not values:
        raise ValueError("an IN list needs at least one value")
    return ", ".join(["%s"] * len(values))


def read_together(selects: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each of `selects`, raw (see Columns.values), in one round trip on PostgreSQL."""
    if not selects:
        return []
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(selects) == 1:
            results = []
            for select in selects:
                cursor.execute(select.sql, select.params)
                results.append(cursor.fetchall())
            return results
        return in_one_string(cursor, selects)


def in_one_string(cursor: Any, statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows each of `statements` returns, sent as one string (PostgreSQL only).

    PostgreSQL runs such a string as one transaction (unless inside the caller's), each statement
    with a snapshot of its own: a statement sees what committed before it began, not only before
    the string did."""
    cursor.execute("; ".join(s.sql for s in statements), [param for s in statements for param in s.params])
    results = [cursor.fetchall()]
    while cursor.nextset():
        results.append(cursor.fetchall())
    if len(results) != len(statements):
        raise RuntimeError(f"{len(statements)} statements gave {len(results)} results")
    return results
