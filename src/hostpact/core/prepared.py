"""Hot read queries, compiled to SQL once and run many times with new parameters.

Building and compiling a queryset costs Django 150-250 µs of CPU; running the same SQL on SQLite
costs 30-60 µs. Every logged-in request reads its session and its user, and "My information"
reads a row set per mapped model, so those few queries go through ``Prepared``: the ORM writes
the SQL the first time (per database alias), and each later call binds the new values and builds
the model instances the way Django's own ``ModelIterable`` does, ``select_related`` included.

A parameter is a placeholder made by ``p(name, field)`` inside the builder; its value is
prepared for the database by ``field`` at each call, as the ORM would prepare it::

    SESSION = Prepared(lambda p: Session.objects.filter(
        session_key=p("key", Session._meta.get_field("session_key"))))
    SESSION.first(key="abc")

``all`` and ``first`` build model instances (annotations set on them, as the ORM does); ``rows``
gives the converted tuples, and is the only way to run a ``values()`` queryset. ``defer()`` and
``only()`` are refused when first compiled: they would need more of the ORM than this mirrors.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, models
from django.db.models.query import get_related_populators


class _Placeholder:
    """Stands for a parameter while the ORM compiles; found again by identity in the params."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, models.Field], ...]  # (position, name, field preparing it)
    model: type[models.Model] | None  # None for a values() queryset
    init_list: list[str]
    model_end: int
    related: list
    annotations: dict[str, int]
    converters: list  # [(position, [converter], expression)]


class Prepared:
    """A queryset whose SQL is compiled once per database alias; call ``all`` or ``first``."""

    def __init__(self, build: Callable[[Callable], models.QuerySet]):
        self._build = build
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        made: dict[int, tuple[str, models.Field]] = {}

        def p(name: str, field: models.Field) -> models.Value:
            marker = _Placeholder()
            made[id(marker)] = (name, field)
            return models.Value(marker)

        queryset = self._build(p)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if queryset.query.deferred_loading != (frozenset(), True):
            raise TypeError("Prepared does not take defer() or only()")
        slots = tuple((i, *made[id(v)]) for i, v in enumerate(params)
                      if isinstance(v, _Placeholder))
        if {id(v) for v in params if isinstance(v, _Placeholder)} != made.keys():
            raise TypeError("a placeholder did not reach the SQL as a parameter")
        select, info = compiler.select, compiler.klass_info
        model, init_list, end, related = None, [], 0, []
        if queryset._fields is None and info is not None:
            start, end = info["select_fields"][0], info["select_fields"][-1] + 1
            if start != 0:
                raise TypeError("Prepared expects the model's columns first")
            model, init_list = info["model"], [col[0].target.attname for col in select[:end]]
            related = get_related_populators(info, select, alias)
        return _Compiled(
            sql=sql, params=tuple(params), slots=slots, model=model, init_list=init_list,
            model_end=end, related=related, annotations=dict(compiler.annotation_col_map or {}),
            converters=[(i, convs, expr) for i, (convs, expr) in compiler.get_converters(
                [col[0] for col in select[: compiler.col_count]]).items()])

    def compiled(self, alias: str) -> _Compiled:
        found = self._compiled.get(alias)
        if found is None:
            with self._lock:
                found = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = found
        return found

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """The result rows for these parameter values, each value converted as the ORM does."""
        c = self.compiled(using)
        connection = connections[using]
        params = list(c.params)
        for position, name, field in c.slots:
            params[position] = field.get_db_prep_value(values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(c.sql, params)
            rows = cursor.fetchall()
        if not c.converters:
            return rows
        out = []
        for row in rows:
            row = list(row)
            for position, convs, expression in c.converters:
                for convert in convs:
                    row[position] = convert(row[position], expression, connection)
            out.append(tuple(row))
        return out

    def all(self, *, using: str = "default", **values) -> list[models.Model]:
        """The rows for these parameter values, as model instances."""
        c = self.compiled(using)
        if c.model is None:
            raise TypeError("a values() queryset gives rows(), not model instances")
        out = []
        for row in self.rows(using=using, **values):
            obj = c.model.from_db(using, c.init_list, row[: c.model_end])
            for populator in c.related:
                populator.populate(row, obj)
            for name, position in c.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out

    def first(self, *, using: str = "default", **values) -> models.Model | None:
        """The first row (order it in the builder), or None."""
        rows = self.all(using=using, **values)
        return rows[0] if rows else None
