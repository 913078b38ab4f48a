"""A cursor drained by a thread of its own, so the server is always producing the next batch.

The MongoDB protocol sends a cursor's next batch only when asked (getMore), and pymongo asks
only once the caller has taken every document of the batch before. A full read whose caller
decodes and folds each batch therefore leaves the server idle for that long, every batch: on
FerretDB, which decodes each stored document in one goroutine per cursor, that halved the
replay's rate against a bare scan. Here one thread takes documents as fast as they arrive and
queues whole batches, a few ahead at most; the caller's work overlaps the server's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

Document = dict[str, Any]
_END = object()


def prefetched(
    documents: Iterable[Document], batch_size: int, depth: int = 4
) -> Iterator[list[Document]]:
    """`documents` in lists of `batch_size`, read ahead by up to `depth` lists in a thread.

    An error of the read is raised here, after the batches before it. Closing the generator
    (or dropping it) stops the thread at its next batch.
    """
    ahead: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def drain() -> None:
        source = iter(documents)
        try:
            while not stop.is_set() and (batch := list(islice(source, batch_size))):
                _put(ahead, batch, stop)
            _put(ahead, _END, stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, which re-raises it
            _put(ahead, exc, stop)
        finally:
            if close := getattr(source, "close", None):
                close()  # a server cursor ended early is killed now, not at collection

    thread = threading.Thread(target=drain, name="store-scan", daemon=True)
    thread.start()
    try:
        while (item := ahead.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=30)


def _put(ahead: queue.Queue[Any], item: Any, stop: threading.Event) -> None:
    """Queues `item`, waiting for room unless the reader has gone."""
    while not stop.is_set():
        try:
            ahead.put(item, timeout=0.1)
            return
        except queue.Full:
            continue
