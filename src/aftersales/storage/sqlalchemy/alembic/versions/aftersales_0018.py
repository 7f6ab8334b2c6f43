"""aftersales schema step 18: what reports read beside the tickets: answered surveys (NPS,
satisfaction, by dimension, comment), each by id with its answer time, ticket and customer, indexed
by time, ticket and customer; the installed base, units in service per product model."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0018"
down_revision = "aftersales_0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(18)


def downgrade() -> None:
    refuse_downgrade(18)
