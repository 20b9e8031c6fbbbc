"""Development only: an SMTP server that keeps every mail as a file for the /dev/mail page."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class KeepEveryMail:
    """aiosmtpd handler: write each message atomically into the catcher folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(envelope.original_content or envelope.content)
        os.replace(temporary, self.folder / name)
        return "250 OK kept"


def start_mail_catcher(folder: Path, host: str, port: int) -> Controller:
    controller = Controller(KeepEveryMail(folder), hostname=host, port=port)
    controller.start()
    return controller
