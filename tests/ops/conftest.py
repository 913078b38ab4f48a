"""Fixtures of the observability tests."""

from collections.abc import Iterator

import pytest

from operations import health


@pytest.fixture(autouse=True)
def fresh_readiness() -> Iterator[None]:
    """Each test's first /readyz checks the servers it points at, not a result a test before
    it left in the process's probe (reused for READINESS_REUSE_SECONDS)."""
    health.PROBE.forget()
    yield
    health.PROBE.forget()
