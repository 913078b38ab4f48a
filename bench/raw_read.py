"""The raw read limit (issue 20): a bare WSGI callable doing what a GET of the API must do and
nothing else, served by the same gunicorn configuration (read_http, list_http).

`GET /raw/accounts/{id}/` and `GET /raw/accounts/?FILTER`: the token read the same way (its
knox digest, one lookup kept in memory), the same one SQL statement (the account by id of
account_by_id.py; the list's statement compiled once per filter from the API's own selector,
20 rows and one more to know there is a next page), the same JSON written. Any other path goes
to TechBank's own WSGI application, so one server answers the raw side, ours and the no-op.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any
from uuid import UUID

from techbank.wsgi import application as techbank

PAGE = 20
_tokens: dict[str, bool] = {}
_statements: dict[str, tuple[str, tuple]] = {}
_lock = threading.Lock()


def _authenticated(environ: dict) -> bool:
    from knox.crypto import hash_token
    from knox.models import AuthToken

    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme != "Token" or not token:
        return False
    digest = hash_token(token)
    if digest not in _tokens:
        _tokens[digest] = AuthToken.objects.filter(digest=digest).exists()
    return _tokens[digest]


def _json(value: Any) -> Any:
    return str(value) if value is not None and not isinstance(value, int | str) else value


def _row(columns: Iterable[str], row: tuple) -> dict[str, Any]:
    from apps.accounts_query.application.account_by_id import CONVERSIONS

    values = list(row)
    for index, convert in CONVERSIONS:
        if values[index] is not None:
            values[index] = convert(values[index])
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else _json(value)
        for name, value in zip(columns, values, strict=True)
    }


def _list_statement(query: str) -> tuple[str, tuple]:
    from django.http import QueryDict

    from apps.accounts_query.api.filters import account_filters
    from apps.accounts_query.application.selectors import account_list
    from apps.accounts_query.models import Account

    with _lock:
        if query not in _statements:
            filters = asdict(account_filters(QueryDict(query)))
            queryset = account_list(**filters).values_list(*Account.FIELDS)[: PAGE + 1]
            _statements[query] = queryset.query.sql_with_params()
    return _statements[query]


def _read(path: str, query: str) -> tuple[str, bytes]:
    from django.db import connection

    from apps.accounts_query.application.account_by_id import SQL
    from apps.accounts_query.models import Account

    with connection.cursor() as cursor:
        if path == "/raw/accounts/":
            sql, params = _list_statement(query)
            cursor.execute(sql, params)
            rows = [_row(Account.FIELDS, r) for r in cursor.fetchall()]
            body: Any = {"next": None, "previous": None, "results": rows[:PAGE]}
        else:
            cursor.execute(SQL, [UUID(path.split("/")[3]).hex])
            row = cursor.fetchone()
            if row is None:
                return "404 Not Found", b'{"code": "not_found"}'
            body = _row(Account.FIELDS, row)
    return "200 OK", json.dumps(body).encode()


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if not path.startswith("/raw/accounts/"):
        return techbank(environ, start_response)
    if not _authenticated(environ):
        status, body = "401 Unauthorized", b'{"code": "not_authenticated"}'
    else:
        status, body = _read(path, environ.get("QUERY_STRING", ""))
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
