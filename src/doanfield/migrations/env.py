"""Alembic environment: migrations run on the connection doanfield hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import doanfield.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("doanfield runs its migrations itself: use 'doanfield db upgrade'")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
