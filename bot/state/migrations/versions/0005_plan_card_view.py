"""plan card view in the approval record

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Before this revision a plan's card view was a key-value entry of its own.
VIEW_PREFIX = "fix.view:"


def upgrade() -> None:
    with op.batch_alter_table("pending_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_view", sa.Text(), nullable=True))
    # Plans proposed before the upgrade keep their card text: moved into the record.
    key_values = sa.table("key_values", sa.column("key", sa.String), sa.column("value", sa.Text))
    actions = sa.table(
        "pending_actions", sa.column("id", sa.String), sa.column("card_view", sa.Text)
    )
    stored = (
        sa.select(key_values.c.value)
        .where(key_values.c.key == sa.literal(VIEW_PREFIX, sa.String) + actions.c.id)
        .scalar_subquery()
    )
    op.execute(actions.update().values(card_view=stored))
    op.execute(key_values.delete().where(key_values.c.key.startswith(VIEW_PREFIX)))


def downgrade() -> None:
    with op.batch_alter_table("pending_actions", schema=None) as batch_op:
        batch_op.drop_column("card_view")
