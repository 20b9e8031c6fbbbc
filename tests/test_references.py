"""References stay unique when many clients submit at the same moment, on both databases."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from tests.conftest import Clock, seed_organisation
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import Case
from workflow.outbox import Postman

THREADS = 8
PER_THREAD = 6


def submit_many(database: Database, postman: Postman, clock: Clock) -> list[str]:
    references = []
    for i in range(PER_THREAD):
        command = OpenCase(organisation_slug="versa", channel="web", kind="conduct",
                           preferred_gender="none", language="nl", description=f"melding {i}",
                           email="client@example.org")  # fmt: skip
        with database.unit_of_work() as uow:
            references.append(open_case(uow, postman, command, clock()).reference)
    return references


def test_concurrent_creation_gives_unique_gapless_references(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda _: submit_many(database, postman, clock), range(THREADS)))
    references = [r for batch in results for r in batch]
    assert len(set(references)) == THREADS * PER_THREAD
    assert all(re.fullmatch(r"VP-2026-\d{4}", r) for r in references)
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
    with database.session() as session:
        assert len(session.scalars(select(Case.id)).all()) == THREADS * PER_THREAD
