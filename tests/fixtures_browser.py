"""Pytest plugin: one headless Chromium per test module, and fresh pages in it.

Chromium is the Debian package (`apt-get install -y chromium`), driven by Playwright through
`executable_path`; `playwright install` is never needed. Every browser test module gets the
fixtures `browser`, `page` and `page_without_js` by name, without importing them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.servers import wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _processes() -> dict[int, tuple[str, str, int]]:
    """Every process: pid -> (name, state, parent pid), read from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        state, ppid = text[text.rindex(")") + 2 :].split()[:2]
        table[int(stat.parent.name)] = (name, state, int(ppid))
    return table


def _our_chromium_processes() -> set[int]:
    """Running (not zombie) Chromium processes that descend from this test process."""
    table, me, found = _processes(), os.getpid(), set()
    for pid, (name, state, ppid) in table.items():
        if state == "Z" or not name.startswith("chrom"):
            continue
        ancestor = ppid
        while ancestor not in (0, 1) and ancestor in table:
            if ancestor == me:
                found.add(pid)
                break
            ancestor = table[ancestor][2]
    return found


def _still_running(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module; at the end none of its processes may still run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install it with: apt-get install -y chromium", pytrace=False
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        started = _our_chromium_processes()
        assert started, "Chromium was launched but no process of it was found"
        try:
            yield chromium
        finally:
            started |= _our_chromium_processes()  # renderers started along the way
            chromium.close()
    try:
        wait_until(lambda: not _still_running(started), 10, what="Chromium to exit")
    except TimeoutError:
        left = _still_running(started)
        for pid in left:  # only processes this fixture started
            os.kill(pid, signal.SIGKILL)
        pytest.fail(f"Chromium processes were left running: {sorted(left)}")


def _page_in(context: BrowserContext) -> Page:
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (no cookies, no cache) and page, with JavaScript as usual."""
    context = browser.new_context(locale="nl-NL")
    try:
        yield _page_in(context)
    finally:
        context.close()


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    """A fresh page that runs no JavaScript at all: the form must work like this."""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    try:
        page = _page_in(context)
        page.set_content("<title>off</title><script>document.title = 'on'</script>")
        assert page.title() == "off", "JavaScript still runs in this context"
        yield page
    finally:
        context.close()
