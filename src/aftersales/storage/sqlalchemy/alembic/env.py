"""Alembic's environment for the library's schema steps (see ``alembic_steps.run_environment``)."""

from alembic import context

from aftersales.storage.sqlalchemy.alembic_steps import run_environment

run_environment(context)
