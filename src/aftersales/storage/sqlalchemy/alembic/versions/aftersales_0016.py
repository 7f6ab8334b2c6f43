"""aftersales schema step 16: custom attributes: the declarations by name in declaration order, and
one row per value of each ticket's attributes (one per code of a multiple choice), indexed by name
and value."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0016"
down_revision = "aftersales_0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(16)


def downgrade() -> None:
    refuse_downgrade(16)
