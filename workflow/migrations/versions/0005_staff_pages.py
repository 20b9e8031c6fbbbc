"""staff pages: a pending TOTP secret for re-enrolment; mail a coordinator says a person wrote

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 04:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advisors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_pending_enc", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("inbound_mails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("treat_as_person", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_mails", schema=None) as batch_op:
        batch_op.drop_column("treat_as_person")
    with op.batch_alter_table("advisors", schema=None) as batch_op:
        batch_op.drop_column("totp_pending_enc")
