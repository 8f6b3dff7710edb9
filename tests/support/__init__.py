"""Real services for tests: a throwaway PostgreSQL, an SMTP sink, a gunicorn runner.

These are helpers, not fixtures: conftest files wrap them in fixtures with the scope they
need, and `.ci/run` drives the PostgreSQL one from the shell.
"""
