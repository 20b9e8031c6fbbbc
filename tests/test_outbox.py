"""The outbox's mail: our headers, CRLF on the wire, and no way for a line break into a header."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet

from tests.conftest import START
from workflow.crypto import Vault
from workflow.models import Case
from workflow.outbox import HeaderInjection, Postman, reference_of, single_line


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def fake_render(subject: str):
    def render(name: str, language: str, context: object) -> Rendered:
        return Rendered(subject, f"tekst van {name}", "<p>html</p>")

    return render


class FakeSession:
    """A port fake: collects what the postman adds."""

    def __init__(self) -> None:
        self.added: list[object] = []
        self.info: dict[str, object] = {}

    def add(self, row: object) -> None:
        self.added.append(row)


VAULT = Vault([Fernet.generate_key().decode()], b"k" * 40)


def write(subject: str = "Ontvangen [VP-2026-0042]", recipient: str = "c@example.org"):
    postman = Postman(fake_render(subject), "team@vp.example", "https://vp.example")
    session = FakeSession()
    case = Case(id=7, reference="VP-2026-0042")
    row = postman.write(
        session,  # type: ignore[arg-type]
        VAULT, case=case, template="acknowledgement", language="nl", recipient=recipient,
        context={}, now=START,
    )  # fmt: skip
    assert session.added == [row]
    return row


def test_the_mail_has_our_headers_a_fixed_message_id_and_crlf_line_ends() -> None:
    row = write()
    raw = VAULT.open_bytes(row.message_enc)
    assert b"\r\nAuto-Submitted: auto-generated\r\n" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Message-ID"] == row.message_id
    signature = VAULT.sign("plus:VP-2026-0042")
    assert parsed["Reply-To"] == f"team+VP-2026-0042.{signature}@vp.example"
    assert row.message_id.endswith("@vp.example>")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert VAULT.open(row.recipient_enc) == "c@example.org"
    assert (row.status, row.next_attempt_at, row.attempts) == ("pending", START, 0)


@pytest.mark.parametrize("recipient", ["c@example.org\r\nBcc: x@y.z", "c@example.org\nBcc: x@y.z"])
def test_a_line_break_in_the_recipient_is_refused(recipient: str) -> None:
    with pytest.raises(HeaderInjection):
        write(recipient=recipient)


def test_a_line_break_in_a_subject_is_refused() -> None:
    with pytest.raises(HeaderInjection):
        write(subject="Hallo\r\nBcc: x@y.z")
    with pytest.raises(HeaderInjection):
        single_line("a\x00b")


def test_our_message_ids_name_their_case_and_a_forged_one_is_not_believed() -> None:
    row = write()
    assert reference_of(VAULT, row.message_id) == "VP-2026-0042"
    forged = row.message_id.replace("VP-2026-0042", "VP-2026-0041")
    assert reference_of(VAULT, forged) is None
    other_key = Vault([Fernet.generate_key().decode()], b"x" * 40)
    assert reference_of(other_key, row.message_id) is None
    assert reference_of(VAULT, "<abc@elsewhere.example>") is None
