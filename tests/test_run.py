"""The `make run` experience: `vertrouwd run` starts web, worker and beat with embedded servers."""

from __future__ import annotations

import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.http_client import (
    Browser,
    Page,
    clean_env,
    hidden_inputs,
    live_members,
    reference_in,
    start,
    stop,
    tail,
    wait_for_http,
)
from tests.servers import free_port, wait_until

START_SECONDS = 30
DELIVERY_SECONDS = 30
STOP_SECONDS = 20
DEMO_SLUGS = ("versa", "steunpunt")


@dataclass
class Running:
    """`vertrouwd run` in its own process group, its console output going to `log`."""

    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_bytes().decode(errors="replace")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """No DATABASE_URL, SMTP_HOST or IMAP_HOST: embedded SQLite, broker, catcher and mailbox."""
    url = f"http://127.0.0.1:{free_port()}"
    env = clean_env(BASE_URL=url, SMTP_PORT=str(free_port()), IMAP_PORT=str(free_port()))
    log = tmp_path / "run.log"
    proc = start(["run"], tmp_path, env, log)
    try:
        yield Running(proc, url, log)
    finally:
        stop(proc, signal.SIGINT, timeout=STOP_SECONDS)


def submit_complaint(url: str, slug: str) -> Page:
    browser = Browser()
    form = browser.get(f"{url}/melden/{slug}")
    assert form.status == 200, form.text[:500]
    hidden = hidden_inputs(form.text)
    fields = {
        "csrf_token": hidden["csrf_token"],
        "submission_id": hidden.get("submission_id", ""),
        "description": "De afspraak over mijn dagbesteding werd drie keer verzet.",
        "kind": "complaint",
        "preferred_gender": "none",
        "name": "Client Proef",
        "email": "client.proef@example.org",
        "language": "nl",
        "privacy": "y",
        "website": "",
    }
    return browser.post(f"{url}/melden/{slug}", fields)


def subjects_with(url: str, reference: str) -> list[str]:
    """The subjects on the mail catcher page that carry `reference`."""
    page = Browser().get(f"{url}/dev/mail")
    assert page.status == 200, page.text[:500]
    subjects = re.findall(r"<a href=\"/dev/mail/[^\"]+\">([^<]*)</a>", page.text)
    return [subject for subject in subjects if reference in subject]


def test_run_serves_the_demo_and_a_worker_delivers_into_the_mail_catcher(
    running: Running,
) -> None:
    wait_for_http(f"{running.url}/healthz", running.proc, running.log, START_SECONDS)
    index = Browser().get(f"{running.url}/")
    assert index.status == 200
    for slug in DEMO_SLUGS:
        assert f"/melden/{slug}" in index.text, f"the index does not link to {slug}"

    answer = submit_complaint(running.url, "versa")
    assert answer.status == 200, answer.text[:2000]
    reference = reference_in(answer)

    try:
        wait_until(
            lambda: len(subjects_with(running.url, reference)) >= 2,
            DELIVERY_SECONDS,
            interval=0.2,
            what=f"two mails about {reference} on /dev/mail",
        )
    except TimeoutError as error:
        seen = subjects_with(running.url, reference)
        raise AssertionError(f"{error}; seen {seen}; output:\n{tail(running.log)}") from None
    assert len(subjects_with(running.url, reference)) == 2

    group = running.proc.pid
    assert stop(running.proc, signal.SIGINT, timeout=STOP_SECONDS), (
        f"`vertrouwd run` did not stop on SIGINT within {STOP_SECONDS} s"
    )
    try:
        wait_until(lambda: not live_members(group), 15, interval=0.1, what="the group to empty")
    except TimeoutError:
        raise AssertionError(f"left after `vertrouwd run` stopped: {live_members(group)}") from None


def test_run_prints_the_urls(running: Running) -> None:
    base = re.escape(running.url)
    form_url = re.compile(rf"{base}/(melden/[a-z-]+)?(\s|$)", re.MULTILINE)
    mail_url = re.compile(rf"{base}/dev/mail(\s|$)", re.MULTILINE)

    def announced() -> bool:
        if running.proc.poll() is not None:
            raise AssertionError(f"`vertrouwd run` exited {running.proc.returncode}")
        text = running.output()
        return bool(form_url.search(text) and mail_url.search(text))

    try:
        wait_until(announced, START_SECONDS, interval=0.1, what="the URLs on the console")
    except TimeoutError as error:
        raise AssertionError(f"{error}; output:\n{tail(running.log)}") from None


def test_a_mail_to_the_embedded_inbox_becomes_a_case_and_is_acknowledged(
    running: Running,
) -> None:
    wait_for_http(f"{running.url}/healthz", running.proc, running.log, START_SECONDS)
    browser = Browser()
    page = browser.get(f"{running.url}/dev/send")
    assert page.status == 200, page.text[:500]
    fields = {
        "csrf_token": hidden_inputs(page.text)["csrf_token"],
        "sender": "schrijver@example.org",
        "subject": "Ongewenst gedrag",
        "body": "Mijn begeleider bij Versa Welzijn intimideert mij. Ik wil met een vrouw praten.",
    }
    assert browser.post(f"{running.url}/dev/send", fields).status == 200

    def acknowledged() -> list[str]:
        mails = Browser().get(f"{running.url}/dev/mail").text
        return re.findall(r">(Uw melding is ontvangen \[VP-\d{4}-\d{4}\])<", mails)

    try:
        wait_until(acknowledged, DELIVERY_SECONDS, interval=0.2, what="the acknowledgement")
    except TimeoutError as error:
        raise AssertionError(f"{error}; output:\n{tail(running.log)}") from None
