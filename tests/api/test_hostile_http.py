"""No 5xx, always JSON: a corpus of hostile bodies and headers, over raw sockets, to gunicorn.

Raw sockets, because no HTTP client library will send a Content-Length that lies, a chunked
body the size of a disk, or a charset of bz2_codec. Each answer must be below 500, JSON, and
carry a `code`; and after the whole corpus the account still has only the event it opened with.
"""

import json
import socket

import pytest
import requests

from apps.eventstore.documents import EventDocument
from tests.harness.gunicorn import gunicorn
from tests.harness.tokens import authorization, token_for

LIMIT = 64 * 1024
JSON = "application/json"
CHUNKED = {"Transfer-Encoding": "chunked"}


def versions(account: str) -> list[int]:
    docs = EventDocument._get_collection().find({"aggregate_id": account})
    return sorted(doc["version"] for doc in docs)


def chunked(body: bytes, size: int = 8192) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def send(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes = b"",
    *,
    length: str | None = None,
    half_close: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    """One request as raw bytes; `length` overrides Content-Length (None: the true one)."""
    headers = {"Host": "127.0.0.1", "Connection": "close", **headers}
    lines = [f"{method} {path} HTTP/1.1"]
    if "Transfer-Encoding" not in headers:
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered without reading all of it; the answer is what counts
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 1"):  # "100 Continue" comes before the answer
        head, _, payload = payload.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    if answer_headers.get("transfer-encoding") == "chunked":
        payload = dechunk(payload)
    return int(status_line.split()[1]), answer_headers, payload


def dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


def corpus(account: str, token: str) -> list[tuple[str, str, str, dict[str, str], bytes, dict]]:
    auth = {"Authorization": f"Token {token}"}
    typed = {**auth, "Content-Type": JSON}
    deposit = f"/api/v1/accounts/{account}/deposit/"
    cases: list[tuple[str, str, str, dict[str, str], bytes, dict]] = []

    def add(name: str, body: bytes, headers: dict[str, str] | None = None, **options: object):
        cases.append((name, "POST", deposit, typed if headers is None else headers, body, options))

    add("100,000 [", b"[" * 100_000)
    add("60,000 [", b"[" * 60_000)
    add("deep objects", b'{"a":' * 40 + b"1" + b"}" * 40)
    add("3 MiB", json.dumps({"amount": "1.00", "x": "a" * 3 * 1024 * 1024}).encode())
    add("over the limit by one", b'{"amount": "1.00"}' + b" " * (LIMIT - 17))
    add("empty", b"")
    for raw in [
        b"not json",
        b"{",
        b'{"amount": NaN}',
        b'{"amount": Infinity}',
        b'{"amount": -Infinity}',
        b'{"amount": 1e400}',
        b'{"amount": 1e2}',
        b'{"amount": 1.0e1}',
        b'{"amount": -0}',
        b'{"amount": +5}',
        b'{"amount": 5.}',
        b'{"amount": ' + b"9" * 5000 + b"}",
        '{"amount": "\u0661\u0660"}'.encode(),
        '{"amount": "\uff11\uff10"}'.encode(),
        b'{"amount": "1_0.00"}',
        b'{"amount": " 5"}',
        b'{"amount": "1e2"}',
        b'{"amount": null}',
        b'{"amount": "' + b"9" * 10_000 + b'"}',
        b'{"amount": "1.00", "note": "' + b"x" * 10_000 + b'"}',
        b'{"amount": "1.00", "expected_versoin": 1}',
        b'{"amount": "1.00", "amount": "2.00"}',
        b'{"amount": "1.00", "\\ud800": 1}',
        b'{"amount": "\\udc00"}',
        b"null",
        b"[]",
        b'[{"amount": "1.00"}]',
        b'"a string"',
        b"\xff\xfe\x00{",
        b"\x00" * 100,
        b'{"amount": {"$gt": 0}}',
    ]:
        add(f"body {raw[:40]!r}", raw)
    for charset in ["bz2_codec", "rot13", "hex", "base64", "utf-7", "idna", "nope", ""]:
        content_type = f"{JSON}; charset={charset}"
        add(f"charset {charset}", b'{"amount": "1.00"}', {**auth, "Content-Type": content_type})
    for content_type in [
        "text/plain",
        "application/xml",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "application/json;;;charset===",
        "*/*",
    ]:
        add(f"type {content_type}", b'{"amount": "1.00"}', {**auth, "Content-Type": content_type})
    form = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
    add("form 1e2", b"amount=1e2", form)
    add("form unknown field", b"amount=1.00&expected_versoin=1", form)
    add("form of 5000 fields", b"&".join(b"f%d=1" % i for i in range(5000)), form)
    add("no content type", b'{"amount": "1.00"}', auth)
    add("no token", b'{"amount": "1.00"}', {"Content-Type": JSON})
    add("bad token", b'{"amount": "1.00"}', {**typed, "Authorization": "Token " + "0" * 40})
    add("Accept xml", b'{"amount": "1.00"}', {**typed, "Accept": "application/xml"})
    add("long Content-Length", b'{"amount": "1.00"}', length="99999999999999")
    add("Content-Length too short", b'{"amount": "1.00"}', length="5")
    add("Content-Length too long", b'{"amount": "1.00"}', length="100", half_close=True)
    add("Expect 100-continue", b"", {**typed, "Expect": "100-continue"}, length=str(10 * LIMIT))
    add(
        "chunked over the limit",
        chunked(b'{"amount": "1.00"}' + b" " * LIMIT),
        {**typed, **CHUNKED},
    )
    add(
        "chunked of bad chunk sizes",
        b"zz\r\nhello\r\n0\r\n\r\n",
        {**typed, **CHUNKED},
    )
    add("bad Host", b'{"amount": "1.00"}', {**typed, "Host": "evil.example"})
    for method in ("PUT", "PATCH", "DELETE", "GET"):
        cases.append((f"{method} on a command", method, deposit, typed, b"{}", {}))
    for path in ("/api/v1/accounts/%ff/deposit/", "/api/v1/nothing", "/api/v1/accounts/open/x"):
        cases.append((f"path {path}", "POST", path, typed, b"{}", {}))
    for query in ("balance_gt=%D9%A1", "page_size=" + "9" * 4000, "balance_lt=sNaN", "page=x"):
        cases.append((f"query {query[:30]}", "GET", f"/api/v1/accounts/?{query}", auth, b"", {}))
    return cases


@pytest.mark.kafka
def test_no_5xx_and_always_json_over_a_hostile_corpus(transactional_db, event_store_db, tmp_path):
    token = token_for("teller")
    with gunicorn(tmp_path / "web.log", "--workers", "2") as base:
        port = int(base.rsplit(":", 1)[1])
        opened = requests.post(
            f"{base}/api/v1/accounts/open/",
            json={"holder": "Ada", "account_type": "SAVINGS", "opening_balance": "100.00"},
            headers=authorization(token),
            timeout=30,
        )
        assert opened.status_code == 201, opened.text
        account = opened.json()["id"]
        failures = []
        for name, method, path, headers, body, options in corpus(account, token):
            status, answer, payload = send(port, method, path, headers, body, **options)
            try:
                code = json.loads(payload)["code"]
            except (ValueError, KeyError, TypeError):
                code = None
            refused = method == "POST"  # every command in the corpus is one to refuse
            if (
                status >= 500
                or (refused and status < 400)
                or not answer.get("content-type", "").startswith(JSON)
                or (status >= 400 and not code)
            ):
                failures.append((name, status, answer.get("content-type"), payload[:200]))
            assert versions(account) == [1], f"{name} stored an event"
        # A well-formed chunked body (Django alone would read it as empty) is served.
        headers = {"Authorization": f"Token {token}", "Content-Type": JSON}
        body = chunked(b'{"amount": "2.50"}', size=5)
        status, _, payload = send(
            port, "POST", f"/api/v1/accounts/{account}/deposit/", {**headers, **CHUNKED}, body
        )
    assert not failures, "\n".join(map(repr, failures))
    assert (status, json.loads(payload)) == (200, {"id": account, "version": 2})
    assert versions(account) == [1, 2]
