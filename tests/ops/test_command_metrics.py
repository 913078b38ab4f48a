"""Commands are counted by class and outcome code, and timed; appends are timed."""

from prometheus_client import REGISTRY

from tests.support import command, open_account


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_commands_by_type_and_outcome(teller):
    opened = value("techbank_commands_total", command="OpenAccount", outcome="ok")
    deposited = value("techbank_commands_total", command="DepositFunds", outcome="ok")
    refused = value(
        "techbank_commands_total", command="WithdrawFunds", outcome="insufficient_funds"
    )
    timed = value("techbank_command_duration_seconds_count", command="WithdrawFunds")
    appends = value("techbank_eventstore_append_duration_seconds_count")

    account = open_account(teller, balance="10.00")
    assert command(teller, account, "deposit", amount="5.00").status_code == 200
    assert command(teller, account, "withdraw", amount="500.00").status_code == 422

    assert value("techbank_commands_total", command="OpenAccount", outcome="ok") == opened + 1
    assert value("techbank_commands_total", command="DepositFunds", outcome="ok") == deposited + 1
    assert (
        value("techbank_commands_total", command="WithdrawFunds", outcome="insufficient_funds")
        == refused + 1
    )
    assert value("techbank_command_duration_seconds_count", command="WithdrawFunds") == timed + 1
    # Two events stored (the refused withdrawal stores nothing).
    assert value("techbank_eventstore_append_duration_seconds_count") == appends + 2
