"""aftersales schema step 12: sub-statuses: each ticket's sub-status (filled from the snapshots)
and its index; the facts projection's stays in sub-statuses, summed up per ticket version and
listed for the current one."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0012"
down_revision = "aftersales_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(12)


def downgrade() -> None:
    refuse_downgrade(12)
