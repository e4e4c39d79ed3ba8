"""A secret key of the server's own, from which a device's token is derived.

A counter's token is HMAC(key, enrollment code + device id): every attempt with the same code
from the same counter gets the same token, so a late copy of an earlier attempt (held up on a
slow link past the counter's timeout) cannot void the token the counter kept. The key is made
here, once, from the operating system's random source; a copy of the database without the codes
(stored only as their sha256) still cannot produce a token.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys = op.create_table(
        "server_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("secret", sa.LargeBinary(32), nullable=False),
    )
    op.bulk_insert(keys, [{"name": "device_tokens", "secret": secrets.token_bytes(32)}])


def downgrade() -> None:
    op.drop_table("server_keys")
