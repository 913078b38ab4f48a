"""What the transfers API's views use, put in place by techbank/bootstrap.py (or a test)."""

from apps.eventstore.reading import EventReader
from kernel.slot import Slot

from ..application.requests import TransferRequests

requests: Slot[TransferRequests] = Slot("the transfers API's request service")
# Whether an id with no row yet is a transfer at all: a read waiting for a row that will never
# come answers 404, not 503 "retry".
events: Slot[EventReader] = Slot("the transfers API's event reader")
