"""aftersales schema step 7: the facts projection: each ticket's facts (and those it had at period
starts), SLA clock cycles and return visits, with the keys of the configurations they were computed
under."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0007"
down_revision = "aftersales_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(7)


def downgrade() -> None:
    refuse_downgrade(7)
