"""aftersales schema step 19: the SLA policies adopted: every version of the policy file with the
instant it takes effect (indexed with the version), when it was adopted and a note."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0019"
down_revision = "aftersales_0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(19)


def downgrade() -> None:
    refuse_downgrade(19)
