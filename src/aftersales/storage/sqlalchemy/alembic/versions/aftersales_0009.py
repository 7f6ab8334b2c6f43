"""aftersales schema step 9: official holiday schedules loaded into the store, one per country and
year, that every process on it merges into its working calendar."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0009"
down_revision = "aftersales_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(9)


def downgrade() -> None:
    refuse_downgrade(9)
