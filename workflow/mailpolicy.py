"""The email policies we parse and write with: the standard ones, with a cached header factory.

CPython's HeaderRegistry builds a new header class with type() for every header it reads or
writes; that alone was a quarter of the inbound processing time. The classes depend only on
the header name, so they are built once per name.
"""

from __future__ import annotations

import email.policy
from email.headerregistry import BaseHeader, HeaderRegistry


class CachedHeaderRegistry(HeaderRegistry):
    """HeaderRegistry that builds each header class once."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().__getitem__(name)
        return built


_REGISTRY = CachedHeaderRegistry()
READING = email.policy.default.clone(header_factory=_REGISTRY)
WRITING = email.policy.default.clone(header_factory=_REGISTRY)
ON_THE_WIRE = email.policy.SMTP.clone(header_factory=_REGISTRY)
