"""aftersales schema step 14: ticket types and satisfaction by dimension: each ticket's type and
its index; the facts projection's type, complaint flag (filled from the category for the rows
before) and latest scores by dimension, and each return visit's scores by dimension."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0014"
down_revision = "aftersales_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(14)


def downgrade() -> None:
    refuse_downgrade(14)
