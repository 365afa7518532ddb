"""Alembic environment: runs on the engine podtui hands over in the config attributes."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import podtui.domain.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from podtui.migrations import include_object

config = context.config
target_metadata = SQLModel.metadata

engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line, for writing new migrations
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///podtui-dev.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
