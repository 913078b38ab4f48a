"""The HTTP platform every API is built on: errors, parsers, the body guard, authentication
(tokens and OAuth2), throttling, permissions, pages and idempotency. It belongs to no bounded
context and imports none."""
