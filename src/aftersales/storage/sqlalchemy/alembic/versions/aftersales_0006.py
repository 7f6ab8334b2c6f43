"""aftersales schema step 6: a snapshot of each folded ticket beside its events, so that reads
replay nothing."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0006"
down_revision = "aftersales_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(6)


def downgrade() -> None:
    refuse_downgrade(6)
