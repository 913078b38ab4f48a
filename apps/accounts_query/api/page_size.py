"""`page_size` as the query API's paginated lists take it: 1 to 100, or a 400."""

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

MAX_PAGE_SIZE = 100


class StrictPageSize:
    """A pagination mixin (before DRF's class): a page_size that is no whole number is a 400."""

    page_size_query_param: str
    max_page_size: int

    def get_page_size(self, request: Request) -> int | None:
        # DRF quietly falls back to 20 for "abc", "0" or "-5"; a client that asked for
        # something else should hear that it did not get it.
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw and not (raw.isascii() and raw.isdigit() and raw.lstrip("0")):
            raise ValidationError(
                {"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]}
            )
        # int() refuses more than 4,300 digits (a 500); any number that long is "too large".
        if len(raw.lstrip("0")) > len(str(self.max_page_size)):
            return self.max_page_size
        parent: Any = super()
        return parent.get_page_size(request)
