"""What the query API's views use, put in place by the web process's composition root
(techbank/bootstrap.py), or by a test with its own wiring."""

from kernel.mediator import Dispatcher
from kernel.slot import Slot

dispatcher: Slot[Dispatcher] = Slot("the query API's dispatcher")
