"""django-prometheus's MySQL backend, its cursor class made once per connection.

django-prometheus builds a new class (`ExportingCursorWrapper`, counting queries for /metrics)
for every cursor it opens: a `class` statement per SQL query, about 10 us of a warm GET's
~400 (bench/README.md, "The lean path"). The class depends only on the connection's alias and
vendor, so each connection builds it once; the counting is django-prometheus's own.
"""

from typing import Any

from django_prometheus.db.backends.mysql import base
from django_prometheus.db.common import ExportingCursorWrapper


class DatabaseWrapper(base.DatabaseWrapper):
    _cursor_class: Any = None

    def create_cursor(self, name: str | None = None) -> Any:
        if self._cursor_class is None:
            self._cursor_class = ExportingCursorWrapper(self.CURSOR_CLASS, self.alias, self.vendor)
        return self._cursor_class(self.connection.cursor())
