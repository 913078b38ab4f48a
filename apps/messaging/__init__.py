"""Kafka plumbing shared by every consumer: the consumer base (poll, batch, decode, dead letters,
outage pause, bounded retries, commit) and the dead letters (written by the base, read and
replayed by the operator). The clients' settings come from kernel/kafka_config.py.

It knows no bounded context: each consumer brings its own decoder and handler.
"""
