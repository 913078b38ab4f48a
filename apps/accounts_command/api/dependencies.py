"""What the command API's views use, put in place by the web process's composition root
(techbank/bootstrap.py), or by a test with its own wiring. (Its Idempotency-Key store is the
HTTP platform's: api_platform/idempotency.py.)"""

from kernel.mediator import Dispatcher
from kernel.slot import Slot

dispatcher: Slot[Dispatcher] = Slot("the command API's dispatcher")
