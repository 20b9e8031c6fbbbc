"""Long-running processes: gunicorn for the web, Celery worker and beat, and `run` for a laptop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from vertrouwd.wiring import celery_app, web_app
from workflow.settings import Settings


def serve_web(settings: Settings, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", None)  # URLs can hold secret tokens: no access log
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")
            self.cfg.set("control_socket_disable", True)  # a shared default path across installs

        def load(self) -> Any:
            return web_app(settings)

    Gunicorn().run()


def serve_worker(settings: Settings, concurrency: int | None) -> None:
    app = celery_app(settings)
    argv = ["worker", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
    if settings.broker_url.startswith("filesystem://"):
        argv += ["--pool=threads", f"--concurrency={concurrency or 4}"]
    elif concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)


def serve_beat(settings: Settings) -> None:
    app = celery_app(settings)
    app.start(["beat", "--loglevel=INFO"])


def run_everything(settings: Settings) -> None:
    """Migrate, load the demo, start the mail catcher, then web, worker and beat as children."""
    from vertrouwd.wiring import require_database
    from workers.mailcatcher import start_mail_catcher
    from workflow.migrate import upgrade
    from workflow.organisations import load_demo
    from workflow.settings import SettingsError

    upgrade(settings.database_url)
    database = require_database(settings)
    with database.unit_of_work() as uow:
        load_demo(uow.session, _now())
        uow.commit()
    database.dispose()
    catcher = None
    if settings.has_mail_catcher:
        try:
            catcher = start_mail_catcher(
                settings.mail_catcher_folder, settings.smtp.host, settings.smtp.port
            )
        except OSError as error:
            raise SettingsError("SMTP_PORT", f"the mail catcher cannot listen: {error}") from None
    web = ["web", "--workers", "1", "--port", str(urlsplit(settings.base_url).port or 8000)]
    children = []
    if settings.has_embedded_mailbox:
        children.append(_start_mailbox(settings))
    children += [_spawn(command) for command in (web, ["worker"], ["beat"])]
    if settings.has_embedded_mailbox:
        children.append(_spawn(["watch"]))
    _announce(settings)
    try:
        _wait_for_first_exit(children)
    finally:
        _stop(children)
        if catcher is not None:
            catcher.stop()


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _start_mailbox(settings: Settings) -> subprocess.Popen[bytes]:
    """The embedded IMAP server (pymap, in memory) that plays the shared inbox in development."""
    from workflow.settings import SettingsError

    command = [sys.executable, "-c", "import sys; from pymap.main import main; sys.exit(main())",
               "--host", settings.imap_host, "--port", str(settings.imap_port), "--no-tls",
               "dict", "--demo-user", settings.imap_user,
               "--demo-password", settings.imap_password]  # fmt: skip
    child = subprocess.Popen(command)  # noqa: S603  (our own command)
    deadline = time.monotonic() + 15
    while not _accepts(settings.imap_host, settings.imap_port):
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise SettingsError(
                "IMAP_PORT", f"the embedded mailbox cannot listen on {settings.imap_port}"
            )
        time.sleep(0.05)
    return child


def _accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _spawn(arguments: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "vertrouwd", *arguments]
    return subprocess.Popen(command, env=dict(os.environ))  # noqa: S603  (our own command)


def _announce(settings: Settings) -> None:
    lines = [
        "",
        "vertrouwd is running:",
        f"  the form:           {settings.base_url}/",
        f"  health:             {settings.base_url}/healthz",
    ]
    if settings.has_mail_catcher:
        lines.append(f"  caught mail:        {settings.base_url}/dev/mail")
    if settings.has_embedded_mailbox:
        lines.append(f"  write to the inbox: {settings.base_url}/dev/send")
    lines += [f"  database:           {settings.database_url}", "Stop with Ctrl-C.", ""]
    print("\n".join(lines), flush=True)


def _wait_for_first_exit(children: list[subprocess.Popen[bytes]]) -> None:
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        return


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Last started, first stopped: the watcher goes before the mailbox it reads."""
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in reversed(children):
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
