"""aftersales schema step 11: the event feed: a global position on every event (existing events
numbered by event time, ticket and seq) and its counter; subscriptions' checkpoints, leases and
dead letters."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0011"
down_revision = "aftersales_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(11)


def downgrade() -> None:
    refuse_downgrade(11)
