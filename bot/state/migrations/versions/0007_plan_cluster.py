"""the cluster a plan changes, in the approval record

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plans proposed before several clusters existed belong to the only one, "default".
    with op.batch_alter_table("pending_actions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cluster", sa.String(63), nullable=False, server_default="default")
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_actions", schema=None) as batch_op:
        batch_op.drop_column("cluster")
