"""(being built) Retention: warn, then anonymise closed cases; shorter terms for set-aside mail."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from workflow.db import Database
from workflow.outbox import Postman


def sweep(database: Database, postman: Postman, now: datetime) -> tuple[Counter[str], list[int]]:
    """What falls due at `now`: per kind how many, and the mails written."""
    return Counter(), []
