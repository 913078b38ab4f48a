"""`page_size` as the query API's paginated lists take it: 1 to 100, or a 400.

The account list documents that a larger one gives 100 (it always has: a client asking for "as
many as you allow" gets them); the statement documents 1 to 100, so 101 there is a 400.
"""

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

MAX_PAGE_SIZE = 100


class StrictPageSize:
    """A pagination mixin (before DRF's class): a page_size that is no whole number is a 400,
    and so is one over max_page_size unless `cap_larger` (then it gives max_page_size)."""

    page_size_query_param: str
    max_page_size: int
    cap_larger: bool = False

    def get_page_size(self, request: Request) -> int | None:
        # DRF quietly falls back to 20 for "abc", "0" or "-5" (and caps 101 at 100); a client
        # that asked for something else should hear that it did not get it.
        raw = request.query_params.get(self.page_size_query_param, "")
        digits = raw.lstrip("0")
        if raw and not (raw.isascii() and raw.isdigit() and digits):
            raise self._refusal()
        # Length first: int() refuses more than 4,300 digits (a 500), and a number longer than
        # max_page_size's is larger than it, however many bits it would take.
        if len(digits) > len(str(self.max_page_size)) or (
            digits and int(digits) > self.max_page_size
        ):
            if not self.cap_larger:
                raise self._refusal()
            return self.max_page_size
        parent: Any = super()
        return parent.get_page_size(request)

    def _refusal(self) -> ValidationError:
        return ValidationError(
            {"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]}
        )
