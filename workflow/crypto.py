"""Encryption at rest (Fernet with rotation) and keyed hashes for matching equal values."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


class Vault:
    """Seals personal data before it is stored and opens it when a reader is allowed to see it.

    Keys are Fernet keys, newest first: new data uses the first; any key opens old data,
    so keys can be rotated (`vertrouwd keys rotate` re-seals under the newest).
    """

    def __init__(self, encryption_keys: Sequence[str], hash_key: bytes) -> None:
        if not encryption_keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in encryption_keys])
        self._newest = Fernet(encryption_keys[0])
        self._hash_key = hash_key

    def seal(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode("utf-8"))

    def seal_optional(self, plaintext: str | None) -> bytes | None:
        return None if plaintext is None or plaintext == "" else self.seal(plaintext)

    def seal_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open(self, token: bytes) -> str:
        return self.open_bytes(token).decode("utf-8")

    def open_optional(self, token: bytes | None) -> str | None:
        return None if token is None else self.open(token)

    def open_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise DecryptionError("no configured key opens this value") from None

    def reseal(self, token: bytes) -> bytes:
        """The same plaintext under the newest key (for key rotation)."""
        return self._fernet.rotate(token)

    def reseal_if_old(self, token: bytes) -> bytes | None:
        """`token` re-sealed under the newest key, or None when the newest key seals it already.

        Key rotation asks this of every stored value, so a rerun skips what is done.
        """
        try:
            self._newest.decrypt(token)
        except InvalidToken:
            try:
                return self._fernet.rotate(token)
            except InvalidToken:
                raise DecryptionError("no configured key opens this value") from None
        return None

    def blind_index(self, value: str | None) -> str | None:
        """A keyed hash of a normalised value: equal inputs match, the value stays unreadable."""
        if value is None or not value.strip():
            return None
        normal = " ".join(unicodedata.normalize("NFKC", value).casefold().split())
        return hmac.new(self._hash_key, normal.encode("utf-8"), hashlib.sha256).hexdigest()

    def sign(self, text: str) -> str:
        """A short keyed signature, e.g. for our Message-IDs (80 bits)."""
        digest = hmac.new(self._hash_key, b"sign:" + text.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:20]

    def verify(self, text: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(text), signature)

    def token_hash(self, token: str) -> str:
        """How a secret token or code is stored: keyed, so a leaked table alone cannot be tried."""
        return hmac.new(
            self._hash_key, b"token:" + token.encode("utf-8"), hashlib.sha256
        ).hexdigest()
