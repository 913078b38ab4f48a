"""The transfer topic's messages as the consumer base (apps/messaging) takes them."""

from __future__ import annotations

from confluent_kafka import Message

from apps.messaging.consumer import Poison

from ..domain.transfer_message import InvalidTransferMessage, TransferMessage, decode


def decoded(message: Message) -> TransferMessage:
    """The message checked against the transfer contract; Poison (dead-lettered) if not."""
    try:
        return decode(message.key(), message.value())
    except InvalidTransferMessage as exc:
        raise Poison(str(exc)) from None
