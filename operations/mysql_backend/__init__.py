"""The MySQL backend of every process (techbank/settings/core.py's ENGINE)."""
