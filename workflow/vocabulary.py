"""The fixed lists of casework, one table each: steps, consent actions, categories, outcomes.

Reports count by these keys (seed 004), so a key never changes meaning; labels are in Dutch
and English for the pages and mails. Adding a key is safe; renaming one is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A key with its labels."""

    key: str
    nl: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.nl


def _table(*terms: Term) -> Mapping[str, Term]:
    return {term.key: term for term in terms}


# Things the advisor would do on the client's behalf: never without their consent (seed 000).
CONSENT_ACTIONS: Mapping[str, Term] = {
    a.key: a
    for a in (
        Term("contact_counterpart", "contact opnemen met de persoon over wie het gaat",
                      "contact the person it is about"),
        Term("contact_manager", "contact opnemen met de leidinggevende",
                      "contact the manager"),
        Term("contact_chair", "de voorzitter van de klachtencommissie inlichten",
                      "inform the chair of the complaints committee"),
        Term("share_with_committee", "naam en klacht delen met de klachtencommissie",
                      "share name and complaint with the complaints committee"),
        Term("inform_organisation", "de organisatie inlichten",
                      "inform the organisation"),
        Term("refer_elsewhere", "doorverwijzen naar een andere instantie",
                      "refer to another agency"),
        Term("other", "iets anders namens de cliënt doen",
                      "act otherwise on the client's behalf"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class PathStep(Term):
    """Where a case stands on schema A or B (seed 003).

    `on_behalf` is the consent action that recording this step needs when the advisor
    took it for the client; a step the client took themselves needs none.
    """

    on_behalf: str | None
    starts_legal_term: bool = False


PATH_STEPS: Mapping[str, PathStep] = {
    s.key: s
    for s in (
        PathStep("talked_with_person", "gesprek met de persoon over wie het gaat",
                 "talked with the person it is about", "contact_counterpart"),
        PathStep("talked_with_manager", "gesprek met de leidinggevende",
                 "talked with the manager", "contact_manager"),
        PathStep("contact_chair", "contact met de voorzitter van de klachtencommissie",
                 "contact with the chair of the complaints committee", "contact_chair"),
        PathStep("contact_vertrouwenspersoon", "contact met de vertrouwenspersoon",
                 "contact with the vertrouwenspersoon", None),
        PathStep("formal_complaint_filed", "officiële klacht ingediend",
                 "formal complaint filed", "share_with_committee", starts_legal_term=True),
        PathStep("committee_investigating", "de klachtencommissie onderzoekt de klacht",
                 "the complaints committee is investigating", None),
    )
}  # fmt: skip

REASON_CATEGORIES: Mapping[str, Term] = _table(
    Term("quality_of_service", "kwaliteit van de hulp", "quality of the service"),
    Term("decision", "een beslissing van de organisatie", "a decision of the organisation"),
    Term("communication", "bejegening en communicatie", "treatment and communication"),
    Term("conflict", "conflict of misverstand", "conflict or misunderstanding"),
    Term("unwanted_conduct", "ongewenst gedrag", "unwanted conduct"),
    Term("sexual_harassment", "seksuele intimidatie", "sexual harassment"),
    Term("aggression", "agressie of geweld", "aggression or violence"),
    Term("discrimination", "discriminatie", "discrimination"),
    Term("bullying", "pesten", "bullying"),
    Term("privacy", "privacy", "privacy"),
    Term("information", "alleen een vraag om informatie", "only a question for information"),
    Term("other", "anders", "other"),
)

SUPPORT_FORMS: Mapping[str, Term] = _table(
    Term("listening", "luisteren en meedenken", "listening and thinking along"),
    Term("information", "informatie en advies", "information and advice"),
    Term("mediation", "bemiddeling of hulp bij een gesprek", "mediation or help in a talk"),
    Term("complaint_support", "hulp bij een klacht", "help with a complaint"),
    Term("referral", "doorverwijzing", "referral"),
    Term("other", "anders", "other"),
)

OUTCOMES: Mapping[str, Term] = _table(
    Term("resolved", "opgelost", "resolved"),
    Term("partly_resolved", "deels opgelost", "partly resolved"),
    Term("not_resolved", "niet opgelost", "not resolved"),
    Term("formal_complaint", "officiële klacht ingediend", "formal complaint filed"),
    Term("referred", "doorverwezen", "referred"),
    Term("client_stopped", "de cliënt is gestopt", "the client stopped"),
    Term("advice_given", "advies gegeven", "advice given"),
)

DECLINE_REASONS: Mapping[str, Term] = _table(
    Term("unavailable", "niet beschikbaar", "not available"),
    Term("conflict_of_interest", "belangenverstrengeling", "conflict of interest"),
    Term("other", "een andere reden", "another reason"),
)

USEFUL_ANSWERS: Mapping[str, Term] = _table(
    Term("yes", "ja", "yes"),
    Term("partly", "een beetje", "partly"),
    Term("no", "nee", "no"),
)

ADVICE_THEMES: Mapping[str, Term] = _table(
    Term("listen_better", "beter luisteren naar cliënten", "listen better to clients"),
    Term("clearer_information", "duidelijkere informatie", "clearer information"),
    Term("staff_conduct", "gedrag van medewerkers", "conduct of staff"),
    Term("faster_response", "sneller reageren", "respond faster"),
    Term("safety", "meer veiligheid", "more safety"),
    Term("nothing", "niets", "nothing"),
    Term("other", "iets anders", "something else"),
)

# Why a coordinator says a message is not a case (it leaves triage; nothing is sent).
NOT_A_CASE_REASONS: Mapping[str, Term] = _table(
    Term("spam", "reclame of spam", "advertising or spam"),
    Term("not_for_us", "niet voor de vertrouwenspersonen bedoeld", "not meant for the advisors"),
    Term("duplicate", "dubbel: dezelfde melding bestaat al", "duplicate: the same case exists"),
)

# What a coordinator did about a signal (several cases naming one person; seed 004).
SIGNAL_DECISIONS: Mapping[str, Term] = _table(
    Term("raised_with_management", "besproken met de directie", "raised with management"),
    Term(
        "advice_to_organisation",
        "advies gegeven aan de organisatie",
        "advice given to the organisation",
    ),
    Term("monitor", "wij houden het in de gaten", "we keep an eye on it"),
    Term("no_action", "geen actie nodig", "no action needed"),
    Term("other", "iets anders (zie de toelichting)", "something else (see the note)"),
)
