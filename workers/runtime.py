"""What a worker process holds: settings, the database and the courier, built lazily after fork."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property

from mailtemplates import render
from workers.delivery import Courier
from workflow.crypto import Vault
from workflow.db import Database, make_engine
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig
from workflow.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


class Runtime:
    """Connections are made on first use, in the process that uses them."""

    def __init__(self, settings: Settings, database: Database | None = None) -> None:
        self.settings = settings
        if database is not None:
            self.__dict__["database"] = database

    @cached_property
    def database(self) -> Database:
        vault = Vault(self.settings.encryption_keys, self.settings.hash_key)
        return Database(make_engine(self.settings.database_url), vault)

    @cached_property
    def courier(self) -> Courier:
        return Courier(self.database, self.settings.smtp, self.settings.mail_from)

    @cached_property
    def inbox(self) -> InboxConfig:
        return InboxConfig(self.settings.mail_from, self.settings.inbox_default_organisation)

    @cached_property
    def postman(self) -> Postman:
        return Postman(
            render=render, mail_from=self.settings.mail_from, base_url=self.settings.base_url
        )
