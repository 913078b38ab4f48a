"""Event versioning: old stored shapes are upgraded on load, history is never rewritten."""

from collections.abc import Callable, Mapping
from typing import Any

Data = dict[str, Any]
Upcaster = Callable[[Data], Data]


class UpcasterChain:
    """Each step turns an event type's data of schema n into schema n + 1."""

    def __init__(self, steps: Mapping[tuple[str, int], Upcaster] | None = None) -> None:
        self._steps = dict(steps or {})

    def upcast(self, event_type: str, schema: int, data: Data) -> tuple[int, Data]:
        while (step := self._steps.get((event_type, schema))) is not None:
            data = step(dict(data))
            schema += 1
        return schema, data
