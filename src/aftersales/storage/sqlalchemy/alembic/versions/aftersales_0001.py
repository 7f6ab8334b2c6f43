"""aftersales schema step 1: tickets and their events."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0001"
down_revision = None
branch_labels = ("aftersales",)
depends_on = None


def upgrade() -> None:
    apply_step(1)


def downgrade() -> None:
    refuse_downgrade(1)
