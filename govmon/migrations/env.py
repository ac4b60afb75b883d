"""Alembic environment: runs on the connection that ``open_store`` hands over."""

from alembic import context
from sqlalchemy import create_engine

from govmon.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the alembic command line: `alembic -x url=sqlite:///x.db revision --autogenerate`
    connection = create_engine(context.get_x_argument(as_dictionary=True)["url"]).connect()
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
