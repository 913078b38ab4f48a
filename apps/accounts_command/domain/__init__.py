"""The BankAccount domain: commands, events, rules. Plain Python, no framework imports."""
