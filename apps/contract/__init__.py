"""The event contract: the one thing the write side and the read side share.

Plain Python (the standard library only). `envelope` is how any event travels; `account_events`
is what each account event carries, with the limits both sides enforce.
"""
