"""aftersales schema step 3: the due-time index also orders by id: the SLA worklist in (due_at, id)
order."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0003"
down_revision = "aftersales_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(3)


def downgrade() -> None:
    refuse_downgrade(3)
