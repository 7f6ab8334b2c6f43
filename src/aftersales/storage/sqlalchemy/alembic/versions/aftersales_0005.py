"""aftersales schema step 5: the company vocabulary: its own terms and their aliases, in
registration order."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0005"
down_revision = "aftersales_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(5)


def downgrade() -> None:
    refuse_downgrade(5)
