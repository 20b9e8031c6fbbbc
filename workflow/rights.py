"""(being built) The client's rights (AVG art. 15, 17): their data, and asking to erase it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from workflow.db import Database
from workflow.outbox import Postman


def sweep(database: Database, postman: Postman, now: datetime) -> tuple[Counter[str], list[int]]:
    """Reminders to coordinators before a request's legal month passes."""
    return Counter(), []
