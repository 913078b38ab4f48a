"""Dead letters: the topic where a message no consumer can ever handle goes, with why.

One topic for every consumer group, one partition. The worker writes to it (`DeadLetterWriter`,
from the consumer base); the operator reads it (`read`, each message a `DeadLetter`) with
`manage.py dead_letters` and on the console's page, and sends letters back for another try
(`replay`). The headers that say why, whence, by whom and when are named in headers.py.
"""

from .letter import DeadLetter
from .reader import read
from .replay import replay
from .writer import DeadLetterFailed, DeadLetterWriter

__all__ = ["DeadLetter", "DeadLetterFailed", "DeadLetterWriter", "read", "replay"]
