"""Real PostgreSQL, Redis, SMTP and IMAP servers for tests: find, start, wait for and stop them."""

from __future__ import annotations

import contextlib
import email
import email.policy
import glob
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit, urlunsplit

import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from imapclient import IMAPClient
from psycopg import sql
from sqlalchemy.engine import make_url

from workers.imap import MailboxConfig

POSTGRES_HINT = "apt-get install -y postgresql"
REDIS_HINT = "apt-get install -y redis-server"
_SYSTEM_DIRS = ("/usr/sbin", "/usr/local/sbin", "/sbin")
_DB_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_LOG_TAIL_BYTES = 4000


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin_dirs() -> list[str]:
    """PostgreSQL's versioned bin directories, newest major version first."""
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    return sorted(dirs, key=lambda d: [int(p) for p in re.findall(r"\d+", d)], reverse=True)


def require_binary(name: str, install_hint: str) -> str:
    """Return the path of ``name``, or fail the test loudly (never skip) with how to install it."""
    search = [os.environ.get("PATH", os.defpath), *_pg_bin_dirs(), *_SYSTEM_DIRS]
    found = shutil.which(name, path=os.pathsep.join(search))
    if found is None:
        pytest.fail(f"{name} not found: install it with: {install_hint}", pytrace=False)
    return found


def wait_until(
    predicate: Callable[[], bool], timeout: float, interval: float = 0.02, what: str = "condition"
) -> None:
    """Poll ``predicate`` until it returns True; raise TimeoutError naming ``what`` at the deadline.

    Exceptions raised by ``predicate`` propagate at once (use that to abort early).
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(min(interval, remaining))


def _make_temp_dir(prefix: str) -> Path:
    """A fresh world-traversable temp dir: servers that drop privileges must reach into it."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def _log_tail(log: Path) -> str:
    """The last few KB of a server log, for failure messages."""
    try:
        data = log.read_bytes()
    except OSError as exc:
        return f"(no log: {exc})"
    return data[-_LOG_TAIL_BYTES:].decode("utf-8", errors="replace")


def _stop_process(proc: subprocess.Popen[bytes], sig: int, timeout: float = 10.0) -> None:
    """Signal the process group of ``proc``, wait, and SIGKILL the group after ``timeout``."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=timeout)


def _abort_if_exited(proc: subprocess.Popen[bytes], name: str, log: Path) -> None:
    """Raise with the log tail when a server process has already exited during start-up."""
    if proc.poll() is not None:
        raise RuntimeError(f"{name} exited with {proc.returncode}; log tail:\n{_log_tail(log)}")


def _as_postgres_user() -> dict[str, Any]:
    """Popen arguments that run a child as ``postgres`` when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def sqlalchemy_to_conninfo(url: str) -> str:
    """Turn an SQLAlchemy URL (``postgresql+psycopg://...``) into a libpq URL for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Started:
    """A server used as a context manager: `with Server() as server:` starts and stops it."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class PostgresAdmin:
    """An existing PostgreSQL server reached through an admin URL; creates and drops databases."""

    def __init__(self, url: str) -> None:
        self.url = (
            make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        )

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(sqlalchemy_to_conninfo(self.url), autocommit=True) as conn:
            conn.execute(statement)

    def create_database(self, name: str) -> str:
        """Create an empty database ``name`` and return its SQLAlchemy URL."""
        if not _DB_NAME.fullmatch(name):
            raise ValueError(f"unsafe database name: {name!r}")
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, terminating any connection still open to it."""
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


class PostgresServer(PostgresAdmin):
    """A private PostgreSQL server on a free port, with its data in a temp dir."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        super().__init__(f"postgresql+psycopg://postgres@{self.host}:{self.port}/postgres")
        self.root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "postgres.log"

    def _initdb(self, initdb: str, data: Path) -> None:
        """Create the cluster: trust auth, no fsync, C locale, superuser ``postgres``."""
        args = [initdb, "-D", str(data), "-A", "trust", "--no-sync", "-U", "postgres"]
        with self.log.open("ab") as log:
            done = subprocess.run(
                [*args, "-E", "UTF8", "--no-locale"],
                check=False,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                timeout=120,
                **_as_postgres_user(),
            )
        if done.returncode != 0:
            raise RuntimeError(
                f"initdb failed ({done.returncode}); log tail:\n{_log_tail(self.log)}"
            )

    def _prepare(self, postgres: str) -> tuple[Path, Path]:
        """Make the temp dir, data and socket dirs (owned by postgres) and run initdb."""
        initdb = str(Path(postgres).resolve().with_name("initdb"))  # same major version
        if not os.access(initdb, os.X_OK):
            initdb = require_binary("initdb", POSTGRES_HINT)
        self.root = _make_temp_dir("vt-pg-")
        data, sockdir = self.root / "data", self.root / "sock"
        for path in (data, sockdir):
            path.mkdir(mode=0o700)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        self._initdb(initdb, data)
        return data, sockdir

    def _ready(self) -> bool:
        assert self._proc is not None
        _abort_if_exited(self._proc, "postgres", self.log)
        try:
            psycopg.connect(sqlalchemy_to_conninfo(self.url), connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def _launch(self, postgres: str, data: Path, sockdir: Path) -> None:
        """Run ``postgres`` in the foreground in its own session, logging to ``self.log``."""
        settings = ["listen_addresses=127.0.0.1", "fsync=off", "full_page_writes=off"]
        settings.append("synchronous_commit=off")
        args = [postgres, "-D", str(data), "-p", str(self.port), "-k", str(sockdir)]
        args += [arg for setting in settings for arg in ("-c", setting)]
        with self.log.open("ab") as log:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,
                **_as_postgres_user(),
            )

    def start(self, timeout: float = 30.0) -> PostgresServer:
        """Create a cluster, start the server and wait until it accepts a login."""
        postgres = require_binary("postgres", POSTGRES_HINT)
        try:
            self._launch(postgres, *self._prepare(postgres))
            wait_until(
                self._ready, timeout, what=f"PostgreSQL to accept logins on port {self.port}"
            )
        except TimeoutError as exc:
            tail = _log_tail(self.log)
            self.stop()
            raise TimeoutError(f"{exc}; log tail:\n{tail}") from None
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Fast shutdown (SIGINT: ends open sessions too), SIGKILL after a deadline; remove data."""
        if self._proc is not None:
            _stop_process(self._proc, signal.SIGINT)
            self._proc = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None


class RedisServer:
    """A private, non-persistent redis-server on a free port."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.url = f"redis://{self.host}:{self.port}/0"
        self.root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def _ready(self, log: Path) -> bool:
        assert self._proc is not None
        _abort_if_exited(self._proc, "redis-server", log)
        client = redis.Redis(host=self.host, port=self.port, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False
        finally:
            client.close()

    def start(self, timeout: float = 15.0) -> RedisServer:
        """Run redis-server in the foreground (own session) and wait until it answers PING."""
        binary = require_binary("redis-server", REDIS_HINT)
        self.root = _make_temp_dir("vt-redis-")
        log = self.root / "redis.log"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.root)]
        with log.open("ab") as out:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,
            )
        try:
            wait_until(lambda: self._ready(log), timeout, what=f"redis PING on port {self.port}")
        except BaseException as exc:
            tail = _log_tail(log)
            self.stop()
            raise RuntimeError(f"redis-server did not start: {exc}; log tail:\n{tail}") from exc
        return self

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL after a deadline; remove its dir."""
        if self._proc is not None:
            _stop_process(self._proc, signal.SIGTERM)
            self._proc = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None


def redis_url_for_db(url: str, db: int) -> str:
    """``url`` with its database number replaced by ``db``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@dataclass(frozen=True)
class ReceivedMail:
    """One message accepted by an SmtpSink: ``data`` is as sent (CRLF), ``message`` parsed."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage


class _SinkHandler:
    """aiosmtpd handler: stores accepted messages; can refuse DATA on demand."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[ReceivedMail] = []
        self.refuse_count = 0
        self.refuse_forever = False
        self.refusal = "451 4.3.0 try again later"

    def _take_refusal(self) -> str | None:
        with self.lock:
            if self.refuse_forever:
                return self.refusal
            if self.refuse_count > 0:
                self.refuse_count -= 1
                return self.refusal
        return None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        refusal = self._take_refusal()
        if refusal is not None:
            return refusal
        data = envelope.original_content or b""
        # SMTP data has CRLF line ends; parse with LF so that get_content() reads naturally.
        message = email.message_from_bytes(
            data.replace(b"\r\n", b"\n"), policy=email.policy.default
        )
        assert isinstance(message, EmailMessage)
        mail_from = envelope.mail_from or ""
        record = ReceivedMail(mail_from, list(envelope.rcpt_tos), data, message)
        with self.lock:
            self.messages.append(record)
        return "250 2.0.0 OK: queued"


class SmtpSink(Started):
    """An in-process aiosmtpd server on a free port that keeps every accepted message."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self._handler = _SinkHandler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[ReceivedMail]:
        """A snapshot of the messages accepted so far, oldest first."""
        with self._handler.lock:
            return list(self._handler.messages)

    def start(self) -> SmtpSink:
        """Start listening (port=0 does not work with aiosmtpd: a free port is picked first)."""
        assert self._controller is None, "SmtpSink already started"
        self.port = free_port()
        controller = Controller(
            self._handler,
            hostname=self.host,
            port=self.port,
            ready_timeout=10.0,
            server_hostname="sink.test",
            enable_SMTPUTF8=True,
        )
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse_next(self, n: int, code: int = 451, text: str = "4.3.0 try again later") -> None:
        """Answer the next ``n`` DATA commands with ``code text`` (transient by default)."""
        with self._handler.lock:
            self._handler.refuse_count = n
            self._handler.refuse_forever = False
            self._handler.refusal = f"{code} {text}"

    def refuse_always(self, code: int = 550, text: str = "5.7.1 message rejected") -> None:
        """Answer every DATA command with ``code text`` (a permanent failure by default)."""
        with self._handler.lock:
            self._handler.refuse_forever = True
            self._handler.refusal = f"{code} {text}"

    def accept_all(self) -> None:
        """Stop refusing: accept every message again."""
        with self._handler.lock:
            self._handler.refuse_count = 0
            self._handler.refuse_forever = False

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self._handler.lock:
            self._handler.messages.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """Wait until at least ``count`` messages arrived; return them all (oldest first)."""
        try:
            wait_until(lambda: len(self.messages) >= count, timeout, what=f"{count} message(s)")
        except TimeoutError as exc:
            got = [(m.mail_from, m.rcpt_tos, m.message["Subject"]) for m in self.messages]
            raise TimeoutError(f"{exc}; {len(got)} arrived: {got!r}") from None
        return self.messages


DOVECOT_HINT = "apt-get install -y dovecot-imapd"
_USER_POOL = 500
_DOVECOT_CONF = """\
# A private Dovecot 2.3 for tests (see TESTING.md): everything under {root}.
instance_name = vt-dovecot-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_uid = dovecot
mail_gid = dovecot
first_valid_uid = 1
mail_fsync = never
mail_location = maildir:{root}/mail/%u
mail_max_userip_connections = 100
{capability}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
  # no auth penalty: after a failed login the next one would wait 2-15 s
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""
_OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


class TokenIntrospection:
    """A tiny RFC 7662 introspection endpoint over HTTP that Dovecot's oauth2 passdb asks."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        tokens = self.tokens

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                user = tokens.get((form.get("token") or [""])[0])
                answer = {"active": True, "username": user} if user else {"active": False}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/introspect"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass(frozen=True)
class ImapMessage:
    """One message as the server holds it."""

    uid: int
    flags: tuple[bytes, ...]
    raw: bytes


@dataclass(frozen=True)
class ImapAccount:
    """One user's mailbox on a DovecotServer, with helpers that use their own connection."""

    host: str
    port: int
    user: str
    password: str

    @contextlib.contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient (TCP_NODELAY: small commands would wait ~40 ms otherwise)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        try:
            client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.login(self.user, self.password)
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def append(self, folder: str, raw: bytes) -> None:
        self.append_many(folder, [raw])

    def append_many(self, folder: str, raws: list[bytes]) -> None:
        """APPEND every message over one connection (MULTIAPPEND, 100 at a time, when offered)."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            if not client.has_capability("MULTIAPPEND"):
                for raw in raws:
                    client.append(folder, raw)
                return
            for start in range(0, len(raws), 100):
                client.multiappend(folder, raws[start : start + 100])

    def mailbox_config(self, **changes: str) -> MailboxConfig:
        """How the watcher reaches this mailbox (INBOX, processed mail to Processed)."""
        config = MailboxConfig(
            host=self.host, port=self.port, ssl=False, user=self.user, password=self.password,
            oauth2_token="", folder="INBOX", processed_folder="Processed",
        )  # fmt: skip
        return replace(config, **changes)

    def count(self, folder: str) -> int:
        """How many messages ``folder`` holds (0 when it does not exist)."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])

    def messages(self, folder: str) -> list[ImapMessage]:
        """Every message in ``folder`` with its flags, read without setting \\Seen."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search()
            found = client.fetch(uids, [b"FLAGS", b"BODY.PEEK[]"]) if uids else {}
            return [
                ImapMessage(int(uid), tuple(data[b"FLAGS"]), bytes(data[b"BODY[]"]))
                for uid, data in sorted(found.items())
            ]


class DovecotServer(Started):
    """A private Dovecot (IMAP only, plain text on 127.0.0.1) on a free port.

    ``capability`` replaces the advertised post-login capabilities (e.g. a server without
    MOVE). Users log in with LOGIN/PLAIN from a passwd-file, or with XOAUTH2 and a token
    registered by ``add_oauth2_token`` (checked by a local introspection endpoint).
    """

    def __init__(self, capability: str | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.user, self.password = "inbox", "secret"
        self.capability = capability
        self.root: Path | None = None
        self._users: dict[str, str] = {self.user: self.password, "other": "secret2"}
        # Dovecot looks at the passwd-file at most once a second, so a user added during a
        # run may not log in at once: tests take fresh users from a pool written at start.
        self._pool = [f"u{n:04d}" for n in range(1, _USER_POOL + 1)]
        self._users.update({user: secrets.token_hex(8) for user in self._pool})
        self._pool.reverse()
        self._introspection: TokenIntrospection | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "dovecot.log"

    def _write_config(self) -> None:
        assert self.root is not None and self._introspection is not None
        mail = self.root / "mail"
        mail.mkdir()
        shutil.chown(mail, "dovecot", "dovecot")
        capability = f"imap_capability = {self.capability}" if self.capability else ""
        conf = _DOVECOT_CONF.format(root=self.root, port=self.port, capability=capability)
        (self.root / "dovecot.conf").write_text(conf)
        oauth2 = _OAUTH2_CONF.format(url=self._introspection.url)
        (self.root / "oauth2.conf.ext").write_text(oauth2)
        self._write_passwd()

    def _write_passwd(self) -> None:
        """Dovecot re-reads the passwd-file when its size changes; replace it atomically."""
        assert self.root is not None
        lines = "".join(f"{user}:{{PLAIN}}{pw}::::::\n" for user, pw in self._users.items())
        (self.root / "passwd.new").write_text(lines)
        os.replace(self.root / "passwd.new", self.root / "passwd")

    def _launch(self) -> None:
        """Run ``dovecot -F`` in its own session and, when possible, its own PID namespace:
        PID 1 here does not reap orphans, and imap processes outlive a killed master; in a
        PID namespace the kernel kills and reaps them all when the master exits."""
        assert self.root is not None
        args = [
            require_binary("dovecot", DOVECOT_HINT),
            "-F",
            "-c",
            str(self.root / "dovecot.conf"),
        ]
        if _can_unshare_pid():
            args = ["unshare", "--pid", "--fork", "--kill-child", *args]
        with (self.root / "stdout.log").open("ab") as out:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,
            )

    def _ready(self) -> bool:
        assert self._proc is not None
        _abort_if_exited(self._proc, "dovecot", self.log)
        try:
            with self.account().client():
                return True
        except (OSError, IMAPClient.Error):
            return False

    def _wait_ready(self, timeout: float) -> None:
        try:
            wait_until(self._ready, timeout, what=f"Dovecot LOGIN on port {self.port}")
        except BaseException as exc:
            tail = _log_tail(self.log) if self.root is not None else ""
            self.stop()
            raise RuntimeError(f"dovecot did not start: {exc}; log tail:\n{tail}") from exc

    def start(self, timeout: float = 15.0) -> DovecotServer:
        """Write the config, start Dovecot and wait until a LOGIN succeeds."""
        require_binary("dovecot", DOVECOT_HINT)
        self.root = _make_temp_dir("vt-dovecot-")
        self._introspection = TokenIntrospection()
        self._write_config()
        self._launch()
        self._wait_ready(timeout)
        return self

    def restart(self, timeout: float = 15.0) -> None:
        """Stop the processes (every session ends) and start again: same port, same mail."""
        if self._proc is not None:
            _stop_process(self._proc, signal.SIGTERM)
        self._launch()
        self._wait_ready(timeout)

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after a deadline; remove the temp dir."""
        if self._proc is not None:
            _stop_process(self._proc, signal.SIGTERM)
            self._proc = None
        if self._introspection is not None:
            self._introspection.stop()
            self._introspection = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def new_account(self) -> ImapAccount:
        """A user nobody has used yet: an empty mailbox (its maildir appears at first login)."""
        if self._pool:
            return self.account(self._pool.pop())
        return self.add_user(f"x{secrets.token_hex(6)}", secrets.token_hex(8))

    def add_user(self, user: str, password: str, timeout: float = 5.0) -> ImapAccount:
        """Add a user and wait until Dovecot has re-read the passwd-file (about a second)."""
        self._users[user] = password
        self._write_passwd()
        account = self.account(user)

        def can_log_in() -> bool:
            try:
                with account.client():
                    return True
            except IMAPClient.Error:
                return False

        wait_until(can_log_in, timeout, interval=0.1, what=f"Dovecot to know user {user}")
        return account

    def add_oauth2_token(self, token: str, user: str) -> None:
        """Make XOAUTH2 with ``token`` log in as ``user``."""
        assert self._introspection is not None, "server not started"
        self._introspection.tokens[token] = user

    def account(self, user: str | None = None) -> ImapAccount:
        user = user or self.user
        return ImapAccount(self.host, self.port, user, self._users[user])

    def append(self, folder: str, raw: bytes) -> None:
        self.account().append(folder, raw)

    def append_many(self, folder: str, raws: list[bytes]) -> None:
        self.account().append_many(folder, raws)

    def count(self, folder: str) -> int:
        return self.account().count(folder)


_unshare_works: list[bool] = []


def _can_unshare_pid() -> bool:
    """Whether ``unshare --pid --fork`` works here (root, or a user namespace allowed)."""
    if not _unshare_works:
        binary = shutil.which("unshare")
        args = [binary or "unshare", "--pid", "--fork", "--kill-child", "true"]
        works = binary is not None and subprocess.run(args, check=False, timeout=10).returncode == 0
        _unshare_works.append(works)
    return _unshare_works[0]
