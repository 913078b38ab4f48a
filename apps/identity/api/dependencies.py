"""What the identity API's views use, put in place by the web process's composition root
(techbank/bootstrap.py), or by a test with its own wiring."""

from apps.eventstore.interface import StreamReader
from kernel.mediator import Dispatcher
from kernel.slot import Slot

commands: Slot[Dispatcher] = Slot("the identity API's command dispatcher")
# A user's own stream with each event's metadata: its audit trail, and an answer as of a version.
streams: Slot[StreamReader] = Slot("the identity API's event store")
