"""reports, retention and the client's rights: retention settings, data requests

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name, default in (
            ("retention_months", "12"),
            ("machine_mail_retention_days", "30"),
            ("quarantine_retention_days", "90"),
        ):
            batch_op.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default=default)
            )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_warned_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "data_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("case_reference", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_by", sa.String(length=64), nullable=True),
        sa.Column("note_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_data_requests_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"],
            name=op.f("fk_data_requests_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_requests")),
    )  # fmt: skip
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_requests_case_reference"), ["case_reference"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_data_requests_organisation_id"), ["organisation_id"], unique=False
        )

    # retention finds a case's mail and attachments by case_id
    for table in ("outbox", "inbound_mails", "attachments"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    for table in ("attachments", "inbound_mails", "outbox"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_case_id"))
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_requests_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_data_requests_case_reference"))
    op.drop_table("data_requests")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("retention_warned_at")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name in ("quarantine_retention_days", "machine_mail_retention_days",
                     "retention_months"):  # fmt: skip
            batch_op.drop_column(name)
