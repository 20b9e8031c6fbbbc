"""The servers a benchmark runs against, and fresh mailboxes and databases on them.

Reuses the test suite's server helpers (tests/servers.py) and fixtures' building blocks
(tests/conftest.py); everything started here is stopped by the ExitStack of `bench()`.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mailtemplates import render
from tests.conftest import migrated, seed_organisation, settings_for
from tests.servers import DovecotServer, ImapAccount, PostgresServer, SmtpSink
from workers.delivery import Courier
from workers.imap import MailboxConfig
from workflow.db import Database
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig
from workflow.settings import Settings

FOLDER = "INBOX"
PROCESSED = "Processed"


@dataclass
class Bench:
    """What every measurement needs: the servers, the settings and the domain's parts."""

    database_kind: str  # postgresql | sqlite
    workdir: Path
    dovecot: DovecotServer
    sink: SmtpSink
    postgres: PostgresServer | None
    settings: Settings

    @property
    def postman(self) -> Postman:
        s = self.settings
        return Postman(render=render, mail_from=s.mail_from, base_url=s.base_url)

    @property
    def inbox(self) -> InboxConfig:
        return InboxConfig(self.settings.mail_from)

    def courier(self, database: Database) -> Courier:
        return Courier(database, self.settings.smtp, self.settings.mail_from)

    def filled_account(self, raws: list[bytes]) -> ImapAccount:
        """A new Dovecot user whose INBOX holds exactly `raws` (MULTIAPPEND, one connection)."""
        account = self.dovecot.new_account()
        account.append_many(FOLDER, raws)
        held = account.count(FOLDER)
        if held != len(raws):
            raise RuntimeError(f"Dovecot holds {held} of {len(raws)} appended mails")
        return account

    @contextlib.contextmanager
    def fresh_database(self, now: datetime) -> Iterator[Database]:
        """An empty database, migrated, with one organisation and its staff; dropped after."""
        with contextlib.ExitStack() as stack:
            if self.postgres is not None:
                name = f"bench_{secrets.token_hex(6)}"
                url = self.postgres.create_database(name)
                stack.callback(self.postgres.drop_database, name)
            else:
                url = f"sqlite:///{self.workdir / f'bench_{secrets.token_hex(6)}.sqlite'}"
            database = migrated(self.settings, url)
            stack.callback(database.dispose)
            seed_organisation(database, now)
            yield database


def mailbox_config(account: ImapAccount) -> MailboxConfig:
    return account.mailbox_config(folder=FOLDER, processed_folder=PROCESSED)


@contextlib.contextmanager
def bench(database_kind: str) -> Iterator[Bench]:
    """Start Dovecot, the SMTP sink and (for postgresql) a private PostgreSQL; stop them all
    on the way out, also on Ctrl-C or an error."""
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="vt-bench-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        dovecot = DovecotServer()
        stack.callback(dovecot.stop)  # stop() is safe on a server that never started
        dovecot.start()
        sink = SmtpSink()
        stack.callback(sink.stop)
        sink.start()
        postgres = None
        if database_kind == "postgresql":
            postgres = PostgresServer()
            stack.callback(postgres.stop)
            postgres.start()
        settings = settings_for(workdir, SMTP_HOST=sink.host, SMTP_PORT=str(sink.port))
        yield Bench(database_kind, workdir, dovecot, sink, postgres, settings)
