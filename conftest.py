"""Loaded before anything is collected: the contract suites' asserts get pytest's rewriting.

The doctest run imports every module under ``src``, so the registration has to
happen here, before ``aftersales.testing.contracts`` (a package: every module
in it) is first imported.
"""

import pytest

pytest.register_assert_rewrite("aftersales.testing.contracts")

#: Alembic runs ``env.py`` of the library's migrations inside its own context; imported
#: by the doctest run it would fail (tests/storage/test_alembic.py runs it through Alembic).
collect_ignore = ["src/aftersales/storage/sqlalchemy/alembic/env.py"]
