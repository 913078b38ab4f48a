"""Upcasters for the account events' older stored shapes.

AccountOpened schema 1 predates account types: every account was a savings account.
"""

from apps.eventstore.upcasting import Data, UpcasterChain


def account_opened_v1_to_v2(data: Data) -> Data:
    return {**data, "account_type": data.get("account_type", "SAVINGS")}


def register(chain: UpcasterChain) -> None:
    chain.register("AccountOpened", 1, account_opened_v1_to_v2)
