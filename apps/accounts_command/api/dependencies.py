"""What the command API's views use, put in place by the web process's composition root
(techbank/bootstrap.py), or by a test with its own wiring. (Its Idempotency-Key store is the
HTTP platform's: techbank/api/idempotency.py.)"""

from techbank.mediator import Dispatcher
from techbank.slot import Slot

dispatcher: Slot[Dispatcher] = Slot("the command API's dispatcher")
