"""Django's file cache with `add`, `incr`, `set`, `touch` and `delete` atomic across processes.

Django's FileBasedCache answers `add` and `incr` by reading the file and then writing it: two
processes can both see a key missing, or both read count 7 and both write 8. The throttle and
the read-your-writes slots need these two to be atomic (api_platform/throttling.py), so here
every change of an entry runs under an exclusive `flock` on one of LOCK_STRIPES lock files,
chosen by the entry's file name: processes (and threads, each with its own open file) that
change the same entry take turns; others do not wait for them. Reads take no lock: an entry is
replaced by a rename, so a reader sees the old file or the new one, never half of one; and a
reader never deletes an expired entry it finds (Django's does: by then the name may hold a new
entry another process just added), only a locked writer does.

Django culls by deleting a third of all entries, live ones too, whenever there are more than
MAX_ENTRIES (300): a live count deleted would let a client past its limit. Here only expired
entries are deleted (under their lock), at most once every CULL_SECONDS per process.
"""

import fcntl
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

from .cache_metrics import CountedGets

LOCK_STRIPES = 64
CULL_SECONDS = 30.0


class LockedFileCache(CountedGets, FileBasedCache):
    """THROTTLE_CACHE_URL=filecache://... (techbank/settings/limits.py puts it in place)."""

    if TYPE_CHECKING:
        # FileBasedCache's private parts used here, which django-stubs does not declare.
        _dir: str

        def _createdir(self) -> None: ...
        def _key_to_file(self, key: Any, version: int | None = None) -> str: ...
        def _delete(self, fname: str) -> bool: ...
        def _list_cache_files(self) -> list[str]: ...

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._culled = 0.0

    @contextmanager
    def _locked(self, fname: str) -> Iterator[None]:
        # The entry's name is an md5 in hex: its first digits spread entries over the stripes.
        stripe = int(os.path.basename(fname)[:8], 16) % LOCK_STRIPES
        self._createdir()
        # No ".djcache" suffix: Django's clear() and culling never touch the lock files.
        with open(os.path.join(self._dir, f"stripe-{stripe}.lock"), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            if self._live(fname):
                return False
            self._replace(fname, value, self.get_backend_timeout(timeout))
        self._cull_expired()  # outside the lock: culling takes the other stripes' locks
        return True

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            self._replace(fname, value, self.get_backend_timeout(timeout))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        # The entry keeps its own expiry (Django's incr would `set` it with the default's).
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)
                    if expiry is None or expiry > time.time():
                        value = pickle.loads(zlib.decompress(f.read())) + delta
                        self._replace(fname, value, expiry)
                        return value
            except FileNotFoundError:
                pass
            raise ValueError(f"Key '{key}' not found")

    def delete(self, key: Any, version: int | None = None) -> bool:
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            return self._delete(fname)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # Django's writes the file in place, where a reader (who takes no lock) could see half.
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            if not self._live(fname):
                return False
            with open(fname, "rb") as f:
                f.seek(0)
                pickle.load(f)
                value = pickle.loads(zlib.decompress(f.read()))
            self._replace(fname, value, self.get_backend_timeout(timeout))
            return True

    def _is_expired(self, f: Any) -> bool:
        # Django's deletes the file it finds expired; a reader holds no lock, so the file at
        # that name may already be a new entry written since: only _live deletes, locked.
        try:
            expiry = pickle.load(f)
        except EOFError:
            expiry = 0
        return expiry is not None and expiry < time.time()

    def _live(self, fname: str) -> bool:
        """Whether the entry is there and not expired; an expired one is deleted (locked)."""
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return True
        except FileNotFoundError:
            return False
        self._delete(fname)
        return False

    def _replace(self, fname: str, value: Any, expiry: float | None) -> None:
        """Writes `value` with this absolute expiry (None: never), by rename."""
        self._createdir()  # the folder may be deleted at any time (Django's own assumption)
        fd, tmp = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(tmp, fname)
        except BaseException:
            os.remove(tmp)
            raise

    def _cull(self) -> None:
        """Django's (which deletes live entries too) is never used: see _cull_expired."""

    def _cull_expired(self) -> None:
        now = time.monotonic()
        if now - self._culled < CULL_SECONDS:
            return
        self._culled = now
        for fname in self._list_cache_files():
            with self._locked(fname):
                self._live(fname)  # deletes it when expired
