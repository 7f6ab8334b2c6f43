"""aftersales schema step 17: named working calendars and teams: each calendar's definition by
name, each team's members, skills and absences by name with the name of its calendar."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0017"
down_revision = "aftersales_0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(17)


def downgrade() -> None:
    refuse_downgrade(17)
