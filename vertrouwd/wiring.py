"""Build the parts from the settings: database, web app, Celery app, and how the web enqueues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflow.crypto import Vault
from workflow.db import Database, check_connection, make_engine
from workflow.settings import Settings, SettingsError

if TYPE_CHECKING:  # the web and Celery are imported only by the commands that run them
    from celery import Celery
    from flask import Flask


def build_database(settings: Settings) -> Database:
    return Database(
        make_engine(settings.database_url), Vault(settings.encryption_keys, settings.hash_key)
    )


def require_database(settings: Settings) -> Database:
    """The database, reachable now, or a SettingsError naming DATABASE_URL."""
    database = build_database(settings)
    try:
        check_connection(database.engine)
    except Exception as error:  # any driver error means the same to the operator
        database.dispose()
        reason = (
            str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        )
        raise SettingsError("DATABASE_URL", f"cannot connect: {reason}") from None
    return database


def celery_app(settings: Settings, database: Database | None = None) -> Celery:
    from workers.celery_app import make_celery
    from workers.runtime import Runtime

    return make_celery(settings, Runtime(settings, database))


def web_app(settings: Settings, database: Database | None = None) -> Flask:
    """The Flask app, enqueueing through Celery by task name (forms never imports workers)."""
    from forms import create_app

    celery = celery_app(settings, database)

    def enqueue(task: str, args: tuple[object, ...]) -> None:
        celery.send_task(task, args=list(args))

    return create_app(settings, database=database, enqueue=enqueue)
