"""A place for one object that a composition root puts in and a view takes out.

Django builds views from a URLconf, not from a bootstrap function, so a view cannot receive
its dependencies as arguments; it asks a slot, which says clearly when nothing was installed.
"""

from typing import Generic, TypeVar

T = TypeVar("T")


class Slot(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what
        self._value: T | None = None

    def install(self, value: T) -> None:
        self._value = value

    @property
    def installed(self) -> bool:
        return self._value is not None

    def get(self) -> T:
        if self._value is None:
            raise RuntimeError(f"{self.what} is not wired: run techbank.bootstrap.web() first")
        return self._value
