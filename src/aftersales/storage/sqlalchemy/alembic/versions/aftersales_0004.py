"""aftersales schema step 4: root causes and their tickets, improvement actions, knowledge articles
with their versions and uses, follow-ups."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0004"
down_revision = "aftersales_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(4)


def downgrade() -> None:
    refuse_downgrade(4)
