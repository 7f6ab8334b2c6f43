"""The storage tests use the session-wide ``postgres_dsn`` fixture of ``tests/conftest.py``."""
