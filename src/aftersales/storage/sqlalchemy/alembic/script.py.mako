"""aftersales schema step ${int(up_revision.rsplit("_", 1)[1])}: ${message}."""

from aftersales.storage.sqlalchemy.alembic_steps import apply_step, refuse_downgrade

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    apply_step(${int(up_revision.rsplit("_", 1)[1])})


def downgrade() -> None:
    refuse_downgrade(${int(up_revision.rsplit("_", 1)[1])})
