"""The event store's socket timeout must stay below gunicorn's worker timeout."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from techbank.checks import mongo_timeout_below_web_timeout


def test_the_defaults_pass():
    assert mongo_timeout_below_web_timeout() == []


@pytest.mark.parametrize("socket_ms", [30000, 45000])
def test_a_socket_timeout_at_or_above_the_web_timeout_is_an_error(socket_ms):
    with override_settings(MONGODB_SOCKET_TIMEOUT_MS=socket_ms, WEB_TIMEOUT=30):
        [error] = mongo_timeout_below_web_timeout()
        assert error.id == "techbank.E001"
        assert str(socket_ms) in error.msg
        with pytest.raises(SystemCheckError, match=r"techbank\.E001"):
            call_command("check")


def test_a_longer_web_timeout_allows_a_longer_socket_timeout():
    with override_settings(MONGODB_SOCKET_TIMEOUT_MS=45000, WEB_TIMEOUT=60):
        assert mongo_timeout_below_web_timeout() == []
