"""aftersales schema step 13: reply templates: every version of each, by code and version, with the
category, channel, language and retired flag the latest version is found by."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = "aftersales_0013"
down_revision = "aftersales_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_step(13)


def downgrade() -> None:
    refuse_downgrade(13)
