"""What the transfers API's views use, put in place by techbank/bootstrap.py (or a test)."""

from techbank.slot import Slot

from ..application.requests import TransferRequests

requests: Slot[TransferRequests] = Slot("the transfers API's request service")
