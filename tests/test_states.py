"""The transitions table, iterated: every state and action either moves as written or refuses."""

from datetime import UTC, datetime

import pytest

from workflow import states
from workflow.states import TRANSITIONS, InvalidTransition, allowed_actions, apply

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class FakeCase:
    def __init__(self, state: str) -> None:
        self.state = state


@pytest.mark.parametrize("state", states.STATES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_state_and_action_moves_by_the_table_or_refuses(state: str, action: str) -> None:
    case = FakeCase(state)
    transition = TRANSITIONS[action]
    if state in transition.sources:
        change = apply(case, action, NOW)
        assert case.state == transition.target
        assert (change.from_state, change.to_state, change.at) == (state, transition.target, NOW)
    else:
        with pytest.raises(InvalidTransition):
            apply(case, action, NOW)
        assert case.state == state


def test_an_unknown_action_is_refused() -> None:
    case = FakeCase(states.ASSIGNED)
    with pytest.raises(InvalidTransition, match="cannot fly"):
        apply(case, "fly", NOW)


def test_every_target_and_source_is_a_known_state() -> None:
    for transition in TRANSITIONS.values():
        assert transition.target in states.STATES
        assert transition.sources <= set(states.STATES)


def test_the_lifecycle_of_the_architecture_can_be_walked_from_received_to_anonymised() -> None:
    case = FakeCase(states.RECEIVED)
    path = ["start_triage", "assign", "accept", "start_work", "ask_consent",
            "consent_answered", "begin_closing", "close", "anonymise"]  # fmt: skip
    for action in path:
        apply(case, action, NOW)
    assert case.state == states.ANONYMISED


def test_a_closed_case_cannot_be_assigned_and_an_anonymised_case_is_final() -> None:
    assert "assign" not in allowed_actions(states.CLOSED)
    assert allowed_actions(states.ANONYMISED) == ()


def test_open_states_are_exactly_those_before_the_end() -> None:
    ends = {states.CLOSED, states.ANONYMISED, states.REFERRED, states.WITHDRAWN, states.NOT_A_CASE}
    assert set(states.OPEN_STATES) == set(states.STATES) - ends
