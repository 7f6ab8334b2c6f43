"""aftersales schema step 2: customers; product model and SLA due time on tickets; an index per
query."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0002"
down_revision = "aftersales_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(2)


def downgrade() -> None:
    refuse_downgrade(2)
