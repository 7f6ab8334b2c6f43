"""aftersales schema step 10: indexes for reports: the key accounts among the customers, and the
open tickets' facts by the key of the configuration they were computed under."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0010"
down_revision = "aftersales_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(10)


def downgrade() -> None:
    refuse_downgrade(10)
