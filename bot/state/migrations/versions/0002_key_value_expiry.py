"""key-value expiry

Revision ID: 0002
Revises: 0001
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Entries written before expiry existed get this long from the upgrade: as long as the
# longest ttl the bot sets (an alert card's record), so nothing still in use vanishes.
BACKFILL = timedelta(days=30)


def upgrade() -> None:
    with op.batch_alter_table("key_values", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    key_values = sa.table("key_values", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(key_values.update().values(expires_at=datetime.now(UTC) + BACKFILL))
    with op.batch_alter_table("key_values", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index(batch_op.f("ix_key_values_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("key_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_values_expires_at"))
        batch_op.drop_column("expires_at")
