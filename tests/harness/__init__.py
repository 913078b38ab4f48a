"""The test harness: what the tests (and bench/) use to start, load, point at and stop things.

One module per concept:
- processes.py: child processes (spawn, stop, kill, `manage.py` children on this run's backends)
- gunicorn.py: the gunicorn launcher
- load.py: the one load driver (closed and open loops)
- ledger_load.py, command_clients.py: the fault tests' load of deposits and withdrawals into a
  Ledger, and the ways its commands travel (HTTP, HTTP retried by key, in process)
- tokens.py: `token_for(role)`, the one place that runs create_api_client
- leak_scan.py: every secret issued and every log line written in a run, and the scan that
  proves no line shows a secret
- swapped_settings.py: the `swapped_settings` fixture, the one way to point the app at another
  server and back
- private_server.py, mariadb.py, ferretdb.py, postgres.py, kafka.py: private servers (and Kafka
  topics)

Nothing here is imported on `import tests.harness`: bench/ imports the modules it needs before
Django is set up, so each module imports Django (and the app) only inside its functions.
"""
