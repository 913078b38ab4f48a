"""Kafka plumbing shared by every consumer and producer: client settings, the consumer base
(poll, batch, decode, dead letters, outage pause, bounded retries, commit) and dead letters.

It knows no bounded context: each consumer brings its own decoder and handler.
"""
