"""The report's own words (Dutch first, English second) and how each value is written.

Every format writes a value the same way: a count, "<5" for a suppressed one, and for a
derived figure either the number or why it is left out. Category labels of the fixed lists
come from workflow.vocabulary, so a key means the same in the report as in the casework.
"""

from __future__ import annotations

from collections.abc import Mapping

from workflow.reports import ALL, HIDDEN, NOT_SHOWN, TOO_FEW, Figure, Period, Report
from workflow.vocabulary import (
    ADVICE_THEMES,
    OUTCOMES,
    REASON_CATEGORIES,
    SUPPORT_FORMS,
    USEFUL_ANSWERS,
    Term,
)

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Rapportage vertrouwenspersoon",
        "period": "Periode",
        "quarter": "{n}e kwartaal {year}",
        "organisations": "Organisaties",
        "organisation": "Organisatie",
        "all": "Samen",
        "generated_on": "Gemaakt op",
        "category": "Categorie",
        "total": "Totaal",
        "figure": "Kengetal",
        "figures_caption": "Kengetallen: {section}",
        "chart_title": "Staafdiagram van {table}{column}. Dezelfde cijfers staan in de tabel.",
        "chart_column": " (samen)",
        "about_title": "Over deze cijfers",
        "about_anonymous": (
            "Deze rapportage is anoniem. Een aantal van 1 tot en met 4 staat er als <5. Kon u "
            "zo'n aantal uitrekenen uit een totaal en de andere getallen, dan staat er nog een "
            "getal als <5, of het totaal: <5 betekent dus 'klein aantal of verborgen'. Er "
            "staat geen vrije tekst in en geen datum fijner dan de periode."
        ),
        "about_dates": (
            "Contacten tellen in de periode waarin ze binnenkwamen; afsluitingen, vorm van "
            "ondersteuning en resultaat in de periode waarin de hulp eindigde; officiële "
            "klachten in de periode waarin ze werden ingediend, met de wettelijke termijn "
            "zoals die aan het eind van de periode stond; evaluaties per kwartaal; signalen "
            "in de periode waarin ze ontstonden. Alles in de tijdzone van de organisatie."
        ),
        "about_figures": (
            "Een mediaan, percentage of gemiddelde staat er alleen als het op minstens 5 "
            "gevallen rust en geen verborgen aantal verraadt."
        ),
        "too_few": "<5 gevallen",
        "not_shown": "verborgen",
        "days": "{value} dagen",
        "percent": "{value}%",
        "section_contacts": "Contacten",
        "section_endings": "Afgesloten hulp",
        "section_complaints": "Officiële klachten",
        "section_evaluations": "Evaluaties door cliënten",
        "section_signals": "Signalen",
        "table_channel": "Nieuwe contacten per kanaal",
        "table_kind": "Nieuwe contacten per soort",
        "table_reason": "Nieuwe contacten per aanleiding",
        "table_ending": "Hoe de hulp eindigde",
        "table_support_form": "Vorm van ondersteuning",
        "table_outcome": "Resultaat",
        "table_complaint_term": "Wettelijke termijn van ingediende klachten",
        "table_complaint_extended": "Termijn verlengd",
        "table_experience": "Ervaring met de hulp (1 slecht, 5 goed)",
        "table_useful": "Had de hulp nut?",
        "table_advice": "Advies aan de organisatie (thema's; één evaluatie kan er meer noemen)",
        "table_signals": "Signalen (meer meldingen over dezelfde persoon)",
        "measure_first_contact_days": "Mediane tijd tot het eerste contact",
        "measure_closing_days": "Mediane tijd tot afsluiten",
        "measure_useful_share": "Hulp had nut (ja)",
        "measure_useful_in_part_share": "Hulp had nut (ja of een beetje)",
        "measure_experience_mean": "Gemiddelde ervaring (1 tot 5)",
        "channel_email": "e-mail",
        "channel_web": "formulier op de website",
        "channel_other": "anders",
        "kind_complaint": "ontevreden over de hulp of een conflict",
        "kind_conduct": "ongewenst gedrag",
        "kind_question": "een vraag",
        "kind_unknown": "(nog) niet bekend",
        "ending_closed": "afgesloten",
        "ending_withdrawn": "ingetrokken door de cliënt",
        "ending_referred": "doorverwezen",
        "complaint_term_held": "binnen de termijn",
        "complaint_term_passed": "termijn overschreden",
        "complaint_term_running": "termijn loopt nog",
        "complaint_extended_extended": "verlengd",
        "complaint_extended_not_extended": "niet verlengd",
        "experience_1": "1",
        "experience_2": "2",
        "experience_3": "3",
        "experience_4": "4",
        "experience_5": "5",
        "signals_raised": "signalen",
        "not_recorded": "niet vastgelegd",
        "not_answered": "geen antwoord",
    },
    "en": {
        "title": "Report of the confidential advisor",
        "period": "Period",
        "quarter": "Q{n} {year}",
        "organisations": "Organisations",
        "organisation": "Organisation",
        "all": "Together",
        "generated_on": "Made on",
        "category": "Category",
        "total": "Total",
        "figure": "Figure",
        "figures_caption": "Figures: {section}",
        "chart_title": "Bar chart of {table}{column}. The same figures are in the table.",
        "chart_column": " (together)",
        "about_title": "About these figures",
        "about_anonymous": (
            "This report is anonymous. A count from 1 to 4 is shown as <5. Where such a count "
            "could be worked out from a total and the other numbers, another number or the "
            "total is shown as <5 as well: <5 means 'small or hidden'. There is no free text "
            "and no date finer than the period."
        ),
        "about_dates": (
            "Contacts count in the period they came in; endings, forms of support and outcomes "
            "in the period the support ended; formal complaints in the period they were filed, "
            "with the legal term as it stood at the end of the period; evaluations by quarter; "
            "signals in the period they were raised. All in the organisation's time zone."
        ),
        "about_figures": (
            "A median, percentage or average is shown only when it rests on at least 5 cases "
            "and gives no hidden count away."
        ),
        "too_few": "<5 cases",
        "not_shown": "hidden",
        "days": "{value} days",
        "percent": "{value}%",
        "section_contacts": "Contacts",
        "section_endings": "Support that ended",
        "section_complaints": "Formal complaints",
        "section_evaluations": "Evaluations by clients",
        "section_signals": "Signals",
        "table_channel": "New contacts by channel",
        "table_kind": "New contacts by kind",
        "table_reason": "New contacts by reason",
        "table_ending": "How the support ended",
        "table_support_form": "Form of support",
        "table_outcome": "Outcome",
        "table_complaint_term": "Legal term of the complaints filed",
        "table_complaint_extended": "Term extended",
        "table_experience": "Experience of the support (1 bad, 5 good)",
        "table_useful": "Was the support useful?",
        "table_advice": "Advice to the organisation (themes; one evaluation may name several)",
        "table_signals": "Signals (several cases about the same person)",
        "measure_first_contact_days": "Median time to the first contact",
        "measure_closing_days": "Median time to closing",
        "measure_useful_share": "Support was useful (yes)",
        "measure_useful_in_part_share": "Support was useful (yes or partly)",
        "measure_experience_mean": "Average experience (1 to 5)",
        "channel_email": "email",
        "channel_web": "form on the website",
        "channel_other": "other",
        "kind_complaint": "unhappy with the help, or a conflict",
        "kind_conduct": "unwanted conduct",
        "kind_question": "a question",
        "kind_unknown": "not (yet) known",
        "ending_closed": "closed",
        "ending_withdrawn": "withdrawn by the client",
        "ending_referred": "referred",
        "complaint_term_held": "within the term",
        "complaint_term_passed": "term exceeded",
        "complaint_term_running": "term still running",
        "complaint_extended_extended": "extended",
        "complaint_extended_not_extended": "not extended",
        "experience_1": "1",
        "experience_2": "2",
        "experience_3": "3",
        "experience_4": "4",
        "experience_5": "5",
        "signals_raised": "signals",
        "not_recorded": "not recorded",
        "not_answered": "no answer",
    },
}
LISTS: dict[str, Mapping[str, Term]] = {
    "reason": REASON_CATEGORIES,
    "support_form": SUPPORT_FORMS,
    "outcome": OUTCOMES,
    "useful": USEFUL_ANSWERS,
    "advice": ADVICE_THEMES,
}
UNITS = {
    "first_contact_days": "days",
    "closing_days": "days",
    "useful_share": "percent",
    "useful_in_part_share": "percent",
}


def words(language: str) -> dict[str, str]:
    return WORDS["en" if language == "en" else "nl"]


def category_label(table: str, category: str, language: str) -> str:
    """The label of one row of a table."""
    t = words(language)
    if category in ("total", "not_recorded", "not_answered"):
        return t[category]
    terms = LISTS.get(table)
    if terms is not None and category in terms:
        return terms[category].label(language)
    return t.get(f"{table}_{category}", category)


def period_label(period: Period, language: str) -> str:
    if period.quarter is None:
        return str(period.year)
    return words(language)["quarter"].format(n=period.quarter, year=period.year)


def column_label(key: str, name: str, language: str) -> str:
    return words(language)["all"] if key == ALL else name


def title(report: Report, language: str) -> str:
    names = ", ".join(c.name for c in report.columns if c.key != ALL)
    return f"{words(language)['title']}: {names}, {period_label(report.period, language)}"


def count_text(count: int | None) -> str:
    """A count as published: the number, or "<5"."""
    return HIDDEN if count is None else str(count)


def number(value: float, language: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "nl" else text


def figure_text(measure: str, figure: Figure, language: str) -> str:
    """A derived figure for people: with its unit, or why it is left out."""
    t = words(language)
    if figure.value is None:
        return t["too_few"] if figure.why_not == TOO_FEW else t["not_shown"]
    unit = UNITS.get(measure)
    if unit == "percent":
        return t["percent"].format(value=round(figure.value))
    if unit == "days":
        return t["days"].format(value=number(figure.value, language))
    return number(figure.value, language)


def figure_value(figure: Figure) -> float | str:
    """A derived figure for machines: the number (rounded), or TOO_FEW / NOT_SHOWN."""
    if figure.value is None:
        return figure.why_not or NOT_SHOWN
    return round(figure.value, 1)


SUPPRESSION_RULE = (
    f"Counts of 1 to 4 are published as '{HIDDEN}' (0 is shown). Where a total minus the "
    "visible cells (or any combination of published sums) would reveal a hidden count, the "
    f"smallest visible cell of that row or column, or else its total, is published as '{HIDDEN}' "
    "too, until no hidden count can be worked out. Medians, percentages and averages are "
    f"published only when they rest on 5 or more cases ('{TOO_FEW}' otherwise) and on "
    f"visible counts only ('{NOT_SHOWN}' otherwise)."
)
