"""The operator's console in the admin: an account's event history and balance chart, the
dead letters and the projection's lag. Read-only; reads the store only through the read side's
event source, the dead letters through apps.messaging.dead_letters (as `manage.py dead_letters`
does), and the lag with a reader of its own (projection_lag.py)."""
