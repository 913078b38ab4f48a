"""Event versioning: old stored shapes are upgraded on load, history is never rewritten."""

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Upcaster = Callable[[Data], Data]


class UpcasterChain:
    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}
        self._current: dict[str, int] = {}

    def register(self, event_type: str, from_schema: int, upcaster: Upcaster) -> None:
        """`upcaster` turns data of schema `from_schema` into schema `from_schema + 1`."""
        if (event_type, from_schema) in self._steps:
            raise ValueError(f"{event_type} v{from_schema} already has an upcaster")
        self._steps[(event_type, from_schema)] = upcaster
        self._current[event_type] = max(self._current.get(event_type, 1), from_schema + 1)

    def current_schema(self, event_type: str) -> int:
        return self._current.get(event_type, 1)

    def upcast(self, event_type: str, schema: int, data: Data) -> tuple[int, Data]:
        while (step := self._steps.get((event_type, schema))) is not None:
            data = step(dict(data))
            schema += 1
        return schema, data


upcasters = UpcasterChain()
