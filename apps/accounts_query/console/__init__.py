"""The operator's console in the admin: an account's event history and balance chart, the
dead letters and the projection's lag. Read-only; reads the store only through the read side's
event source and Kafka only through the read side's infrastructure."""
