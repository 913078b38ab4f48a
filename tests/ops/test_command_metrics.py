"""Commands are counted by class and outcome code, and timed; queries apart from them; appends
are timed."""

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


def test_queries_are_counted_apart_from_commands(teller):
    """The audit log and the as-of state pass the write side's dispatcher as queries: counted
    under techbank_queries_total (refusals by code), never as commands."""
    account = open_account(teller, balance="10.00")
    history = value("techbank_queries_total", query="GetAccountHistory", outcome="ok")
    as_of = value("techbank_queries_total", query="GetAccountAsOf", outcome="ok")
    too_late = value("techbank_queries_total", query="GetAccountAsOf", outcome="state_not_found")
    timed = value("techbank_query_duration_seconds_count", query="GetAccountHistory")

    assert teller.get(f"/api/v1/accounts/{account}/events/").status_code == 200
    assert teller.get(f"/api/v1/accounts/{account}/as-of/?version=1").status_code == 200
    assert teller.get(f"/api/v1/accounts/{account}/as-of/?version=9").status_code == 404

    assert value("techbank_queries_total", query="GetAccountHistory", outcome="ok") == history + 1
    assert value("techbank_queries_total", query="GetAccountAsOf", outcome="ok") == as_of + 1
    assert (
        value("techbank_queries_total", query="GetAccountAsOf", outcome="state_not_found")
        == too_late + 1
    )
    assert value("techbank_query_duration_seconds_count", query="GetAccountHistory") == timed + 1
    commands = {sample.labels["command"] for sample in command_samples()}
    assert not commands & {"GetAccountHistory", "GetAccountAsOf"}


def command_samples() -> list:
    return [s for m in REGISTRY.collect() if m.name == "techbank_commands" for s in m.samples]
