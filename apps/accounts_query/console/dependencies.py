"""What the console's pages use, put in place by the web process's composition root
(techbank/bootstrap.py), or by a test with its own wiring."""

from kernel.slot import Slot

from ..infrastructure.event_source import StoreEventSource

event_source: Slot[StoreEventSource] = Slot("the admin console's event source")
