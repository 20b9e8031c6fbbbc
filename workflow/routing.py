"""Who handles a case: the organisation's role for the kind, the gender wish, the lightest load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("complaint", "conduct", "question", "unknown")
GENDER_WISHES = ("female", "male", "none")
GENDERS = ("female", "male")
HANDLING_ROLES = ("vertrouwenspersoon", "chair")
STAFF_ROLES = ("vertrouwenspersoon", "chair", "coordinator", "admin")


@dataclass(frozen=True)
class RoleRules:
    """Which role handles which kind, configured per organisation (ARCHITECTURE rule 1)."""

    complaint_role: str
    conduct_role: str
    question_role: str

    def role_for(self, kind: str) -> str | None:
        return {
            "complaint": self.complaint_role,
            "conduct": self.conduct_role,
            "question": self.question_role,
        }.get(kind)


@dataclass(frozen=True)
class Candidate:
    """An advisor as routing sees them."""

    advisor_id: int
    role: str
    gender: str
    is_active: bool
    open_cases: int


@dataclass(frozen=True)
class RoutingDecision:
    """The chosen advisor, or why there is none (then a coordinator triages)."""

    advisor_id: int | None
    reason: str

    @property
    def is_assigned(self) -> bool:
        return self.advisor_id is not None


def choose_advisor(
    rules: RoleRules,
    kind: str,
    preferred_gender: str,
    candidates: Iterable[Candidate],
    excluded: frozenset[int] = frozenset(),
) -> RoutingDecision:
    """Pick the eligible advisor with the fewest open cases; never against a stated wish.

    A stated gender wish is a hard constraint (ARCHITECTURE rule 2): when nobody matches,
    the answer is "no_matching_advisor", never someone of the other gender.
    """
    role = rules.role_for(kind)
    if role is None:
        return RoutingDecision(None, "unclassified")
    eligible = [c for c in candidates if c.is_active and c.role == role]
    eligible = [c for c in eligible if c.advisor_id not in excluded]
    if not eligible:
        return RoutingDecision(None, "no_advisor")
    if preferred_gender in GENDERS:
        eligible = [c for c in eligible if c.gender == preferred_gender]
        if not eligible:
            return RoutingDecision(None, "no_matching_advisor")
    chosen = min(eligible, key=lambda c: (c.open_cases, c.advisor_id))
    return RoutingDecision(chosen.advisor_id, "assigned")
