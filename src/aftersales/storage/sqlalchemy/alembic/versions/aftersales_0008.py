"""aftersales schema step 8: the SLA alert index: when each open ticket's next alert is due (the
sweep's) and its earliest alert, recorded or not (the watchlist's), in (instant, id) order."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0008"
down_revision = "aftersales_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(8)


def downgrade() -> None:
    refuse_downgrade(8)
