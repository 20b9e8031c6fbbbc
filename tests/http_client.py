"""Helpers for tests that drive the real `vertrouwd` command: child processes, HTTP with cookies."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from tests.servers import wait_until

COMMAND = [sys.executable, "-m", "vertrouwd"]
REFERENCE = re.compile(r"VP-\d{4}-\d{4,}")
# Every setting the command reads: a test sets the ones it needs, nothing leaks in from outside.
_SETTINGS = {
    "DATABASE_URL",
    "BROKER_URL",
    "SECRET_KEY",
    "ENCRYPTION_KEYS",
    "HASH_KEY",
    "BASE_URL",
    "MAIL_FROM",
    "FORM_RATE_LIMIT",
    "RATELIMIT_STORAGE_URL",
}
_SETTING_PREFIXES = ("SMTP_", "IMAP_", "VERTROUWD_")


def clean_env(**settings: str) -> dict[str, str]:
    """os.environ without any vertrouwd setting from outside, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _SETTINGS and not key.startswith(_SETTING_PREFIXES)
    }
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **settings}


def run_cli(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `vertrouwd ARGS` to its end; a hang fails the test at `timeout`."""
    return subprocess.run(
        [*COMMAND, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_ok(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run `vertrouwd ARGS`, insist on exit status 0, return stdout."""
    done = run_cli(args, cwd, env)
    assert done.returncode == 0, (
        f"vertrouwd {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}"
    )
    return done.stdout


def start(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `vertrouwd ARGS` in a new session (its own process group), output into `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [*COMMAND, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def stop(proc: subprocess.Popen[bytes], first: int = signal.SIGTERM, timeout: float = 15) -> bool:
    """Signal the process group, escalate to SIGTERM and SIGKILL; True if `first` sufficed."""
    if proc.poll() is not None:
        signal_group(proc.pid, signal.SIGKILL)  # whatever the leader left behind
        return True
    for sig in dict.fromkeys((first, signal.SIGTERM, signal.SIGKILL)):
        signal_group(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        return sig == first
    proc.wait(timeout=timeout)
    return False


def live_members(pgid: int) -> list[str]:
    """`pid (name) state` of every process in group `pgid` that is not a zombie."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        name_end = text.rindex(")")
        state, _ppid, group = text[name_end + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(text[: name_end + 1] + f" {state}")
    return found


@dataclass(frozen=True)
class Page:
    status: int
    text: str


class Browser:
    """An HTTP client that keeps cookies (the session holds the CSRF secret)."""

    def __init__(self, timeout: float = 15) -> None:
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url: str) -> Page:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, fields: dict[str, str]) -> Page:
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._open(urllib.request.Request(url, data=body, headers=headers, method="POST"))

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Page(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                return Page(error.code, error.read().decode())


def answers_ok(url: str) -> bool:
    """True when `url` answers 200 now; False while nothing listens or it answers otherwise."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_for_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Wait until `url` answers 200; fail at once (with the log) if `proc` exits meanwhile."""

    def ready() -> bool:
        if proc.poll() is not None:
            raise AssertionError(
                f"exited with {proc.returncode} before {url} answered:\n{tail(log)}"
            )
        return answers_ok(url)

    try:
        wait_until(ready, timeout, interval=0.1, what=f"{url} to answer 200")
    except TimeoutError as error:
        raise AssertionError(f"{error}; output:\n{tail(log)}") from None


def tail(log: Path, size: int = 4000) -> str:
    return log.read_bytes()[-size:].decode(errors="replace") if log.exists() else "(no output)"


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("type") == "hidden" and fields.get("name"):
            self.values[str(fields["name"])] = fields.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden inputs of a page (csrf_token, submission_id) by name."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


def reference_in(page: Page) -> str:
    """The case reference a thank-you page shows."""
    found = REFERENCE.search(page.text)
    assert found, f"no case reference on the answer page ({page.status}):\n{page.text[:2000]}"
    return found.group(0)
