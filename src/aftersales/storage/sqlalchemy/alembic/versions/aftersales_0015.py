"""aftersales schema step 15: tags: one row per tag of each ticket (filled from the snapshots),
indexed by tag."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0015"
down_revision = "aftersales_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(15)


def downgrade() -> None:
    refuse_downgrade(15)
