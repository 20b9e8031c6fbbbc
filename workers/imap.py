"""IMAP plumbing for the inbox watcher: the mailbox settings, login, fetch, move and IDLE news."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError

from workflow.settings import Settings, SettingsError

CONNECT_TIMEOUT = 30.0
DELETED = rb"\Deleted"
BODY = b"BODY[]"
NEWS = (b"EXISTS", b"RECENT")


@dataclass(frozen=True)
class MailboxConfig:
    """Where the shared inbox lives and how to log in to it."""

    host: str
    port: int
    ssl: bool
    user: str
    password: str = field(repr=False)
    oauth2_token: str = field(repr=False)
    folder: str
    processed_folder: str

    def __post_init__(self) -> None:
        if self.folder == self.processed_folder:
            raise ValueError("the processed folder must not be the watched folder")

    @classmethod
    def from_settings(cls, settings: Settings) -> MailboxConfig:
        """Raises SettingsError when the inbox is not configured (IMAP_HOST, IMAP_USER)."""
        for variable, value in (
            ("IMAP_HOST", settings.imap_host),
            ("IMAP_USER", settings.imap_user),
        ):
            if not value:
                raise SettingsError(variable, "is required to read the shared inbox")
        return cls(
            host=settings.imap_host,
            port=settings.imap_port,
            ssl=settings.imap_ssl,
            user=settings.imap_user,
            password=settings.imap_password,
            oauth2_token=settings.imap_oauth2_token,
            folder=settings.imap_folder,
            processed_folder=settings.imap_processed_folder,
        )

    @property
    def mailbox(self) -> str:
        """The name the storage keys mail by (unique together with UIDVALIDITY and UID)."""
        return f"{self.user}@{self.host}/{self.folder}"


def connect(config: MailboxConfig, timeout: float = CONNECT_TIMEOUT) -> IMAPClient:
    """A logged-in client: TLS when configured, XOAUTH2 when a token is set, else LOGIN."""
    client = IMAPClient(config.host, config.port, ssl=config.ssl, timeout=timeout)
    try:
        # Small commands would otherwise wait on Nagle + delayed ACK (~40 ms each).
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if config.oauth2_token:
            client.oauth2_login(config.user, config.oauth2_token)
        else:
            client.login(config.user, config.password)
        client.capabilities()  # cache the post-login list (select() clears untagged responses)
    except BaseException:
        close_quietly(client)
        raise
    return client


def close_quietly(client: IMAPClient) -> None:
    """Log out if the connection still works; otherwise just drop it."""
    try:
        client.logout()
    except Exception:
        with contextlib.suppress(Exception):  # the socket is gone either way
            client.shutdown()


def select(client: IMAPClient, folder: str) -> int | None:
    """SELECT `folder` and return its UIDVALIDITY (None from a server that gives none)."""
    # imaplib keeps every untagged response of the connection and imapclient reads the
    # first UIDVALIDITY it finds: without clearing, a renumbered folder would keep its old
    # value on a long-lived connection (and the lists would grow for ever).
    client._imap.untagged_responses.clear()
    value = client.select_folder(folder).get(b"UIDVALIDITY")
    return None if value is None else int(value)


def fetch_raw(client: IMAPClient, uids: Sequence[int]) -> dict[int, bytes]:
    """The raw bytes of these UIDs, by BODY.PEEK[] so that nothing is marked \\Seen."""
    if not uids:
        return {}
    wanted = set(uids)
    response = client.fetch(list(uids), [b"BODY.PEEK[]"])
    return {
        int(uid): bytes(data[BODY])
        for uid, data in response.items()
        if uid in wanted and BODY in data  # unsolicited FETCH (flag changes) are skipped
    }


def ensure_folder(client: IMAPClient, folder: str) -> None:
    if client.folder_exists(folder):
        return
    try:
        client.create_folder(folder)
    except IMAPClient.Error:
        if not client.folder_exists(folder):  # someone else may have created it just now
            raise


def move(client: IMAPClient, uids: Sequence[int], folder: str) -> None:
    """MOVE (RFC 6851), else COPY and flag \\Deleted, expunging by UID when UIDPLUS allows."""
    if not uids:
        return
    if client.has_capability("MOVE"):
        client.move(list(uids), folder)
        return
    client.copy(list(uids), folder)
    client.add_flags(list(uids), [DELETED], silent=True)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(list(uids))


def finish_moves(client: IMAPClient) -> None:
    """Without MOVE or UIDPLUS only a plain EXPUNGE removes the copied mail. It also removes
    what others flagged \\Deleted, so it runs once, after every batch of a poll is stored."""
    if not (client.has_capability("MOVE") or client.has_capability("UIDPLUS")):
        client.expunge()


def has_news(responses: Sequence[Any]) -> bool:
    """True on EXISTS/RECENT; a BYE (server shutting down, idle timeout) raises an abort."""
    for response in responses:
        if response and response[0] == b"BYE":
            raise IMAPClientAbortError("the server ended the session (BYE)")
        if len(response) > 1 and response[1] in NEWS:
            return True
    return False


def has_buffered_response(client: IMAPClient) -> bool:
    """Whether a response already sits in imaplib's read buffer.

    Dovecot sends `* n EXISTS` right after `+ idling` when mail arrived since the last
    command; both arrive in one packet, imaplib buffers the second line while reading the
    first, and idle_check() polls only the socket, so it would not see it until more data
    came. Peeking the buffer without blocking closes that gap.
    """
    reader = getattr(client._imap, "file", None)
    if reader is None or not hasattr(reader, "peek"):
        return False
    sock = client.socket()
    sock.setblocking(False)
    try:
        return bool(reader.peek(1))
    except OSError:  # nothing buffered and nothing on the wire (TLS says "want read")
        return False
    finally:
        sock.setblocking(True)
        client._set_read_timeout()
