"""on-call changes, escalations and incident timelines

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oncall_changes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("people", sa.String(length=300), nullable=False),
        sa.Column("starts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("oncall_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oncall_changes_team"), ["team"], unique=False)
        batch_op.create_index(batch_op.f("ix_oncall_changes_ends"), ["ends"], unique=False)
    op.create_table(
        "escalations",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("chat_id", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("next_step", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_due_at"), ["due_at"], unique=False)
    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_events_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_events_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_events_at"))
        batch_op.drop_index(batch_op.f("ix_incident_events_key"))
    op.drop_table("incident_events")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_due_at"))
    op.drop_table("escalations")
    with op.batch_alter_table("oncall_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_changes_ends"))
        batch_op.drop_index(batch_op.f("ix_oncall_changes_team"))
    op.drop_table("oncall_changes")
