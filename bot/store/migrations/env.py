"""Alembic environment: migrates the database named in the config's sqlalchemy.url."""

from alembic import context

from bot.store.models import Base
from bot.store.session import create_db_engine

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    sqlite = url.startswith("sqlite")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one, which foreign keys
            # from rows already stored would refuse: off while migrating, checked afterwards.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
    engine.dispose()


run_migrations()
