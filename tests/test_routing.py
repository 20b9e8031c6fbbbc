"""Routing rules: the role for the kind, the gender wish as a hard constraint, the load."""

import pytest

from workflow.routing import Candidate, RoleRules, choose_advisor

RULES = RoleRules(complaint_role="chair", conduct_role="vertrouwenspersoon",
                  question_role="vertrouwenspersoon")  # fmt: skip


def vp(advisor_id: int, gender: str, load: int = 0, *, is_active: bool = True) -> Candidate:
    return Candidate(advisor_id, "vertrouwenspersoon", gender, is_active, load)


def test_conduct_goes_to_a_vertrouwenspersoon_and_complaint_to_the_chair() -> None:
    staff = [vp(1, "female"), Candidate(2, "chair", "male", True, 0)]
    assert choose_advisor(RULES, "conduct", "none", staff).advisor_id == 1
    assert choose_advisor(RULES, "complaint", "none", staff).advisor_id == 2


def test_the_gender_wish_is_honoured_even_when_the_other_advisor_is_less_busy() -> None:
    staff = [vp(1, "male", load=0), vp(2, "female", load=9)]
    assert choose_advisor(RULES, "conduct", "female", staff).advisor_id == 2


@pytest.mark.parametrize("wish", ["female", "male"])
def test_no_matching_gender_means_no_assignment_never_the_other_gender(wish: str) -> None:
    other = "male" if wish == "female" else "female"
    decision = choose_advisor(RULES, "conduct", wish, [vp(1, other), vp(2, other)])
    assert decision.advisor_id is None
    assert decision.reason == "no_matching_advisor"


def test_without_a_wish_the_one_with_the_fewest_open_cases_is_chosen() -> None:
    staff = [vp(1, "male", load=3), vp(2, "female", load=1), vp(3, "male", load=2)]
    assert choose_advisor(RULES, "conduct", "none", staff).advisor_id == 2


def test_equal_load_is_decided_by_the_lowest_id_so_routing_is_repeatable() -> None:
    staff = [vp(7, "male", load=1), vp(4, "female", load=1)]
    assert choose_advisor(RULES, "conduct", "none", staff).advisor_id == 4


def test_inactive_and_excluded_advisors_are_never_chosen() -> None:
    staff = [vp(1, "female", is_active=False), vp(2, "female"), vp(3, "female")]
    decision = choose_advisor(RULES, "conduct", "female", staff, excluded=frozenset({2}))
    assert decision.advisor_id == 3


def test_nobody_of_the_role_means_no_advisor() -> None:
    decision = choose_advisor(RULES, "complaint", "none", [vp(1, "female")])
    assert (decision.advisor_id, decision.reason) == (None, "no_advisor")


def test_an_unknown_kind_is_left_for_the_coordinator() -> None:
    decision = choose_advisor(RULES, "unknown", "none", [vp(1, "female")])
    assert (decision.advisor_id, decision.reason) == (None, "unclassified")


def test_an_organisation_may_give_complaints_to_the_vertrouwenspersoon_too() -> None:
    rules = RoleRules("vertrouwenspersoon", "vertrouwenspersoon", "vertrouwenspersoon")
    assert choose_advisor(rules, "complaint", "none", [vp(5, "male")]).advisor_id == 5
