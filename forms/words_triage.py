"""The words of the coordinator's triage and signals pages, Dutch first and English second.

Action forms follow forms.advisor_pages: the label of field `f` of form `k` is `<k>_<f>`,
a choice `<k>_<f>_<key>`, and each form has `_title`, `_hint`, `_submit` and `_done`.
"""

from __future__ import annotations

TRIAGE_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # the queue
        "triage_title": "Meldingen verdelen",
        "triage_lead": (
            "Bij deze meldingen wist het systeem niet zeker waar ze over gaan of wie ze kan "
            "helpen. Kies de soort en de wens, en wijs een vertrouwenspersoon toe."
        ),
        "triage_none": "Er wachten geen meldingen. Goed zo.",
        "triage_caption": "Meldingen die wachten tot u ze verdeelt, spoed eerst",
        "triage_col_received": "Binnengekomen",
        "triage_col_channel": "Via",
        "triage_col_guess": "Gok van het systeem",
        "triage_col_why": "Waarom hier",
        "triage_channel_email": "e-mail",
        "triage_channel_web": "formulier",
        "triage_confidence": "{value} ({percent}% zeker)",
        "triage_no_guess": "geen gok (de cliënt koos zelf)",
        "triage_why_waiting_for_client": "De cliënt kiest nog zelf waar het over gaat",
        "triage_why_unclassified": "Het systeem weet niet waar het over gaat",
        "triage_why_organisation_unknown": "Het systeem weet niet welke organisatie het is",
        "triage_why_no_advisor": "Er is geen vertrouwenspersoon met de juiste rol",
        "triage_why_no_matching_advisor": "Niemand past bij de wens van de cliënt (vrouw of man)",
        "triage_why_assigned": "Toegewezen, nog geen antwoord van de vertrouwenspersoon",
        # one case
        "triage_case_title": "Melding {reference} verdelen",
        "triage_back": "Terug naar verdelen",
        "triage_guesses": "Wat het systeem denkt",
        "triage_guess_kind": "Soort",
        "triage_guess_wish": "Wens vrouw of man",
        "triage_guess_language": "Taal",
        "triage_guess_organisation": "Organisatie zeker",
        "triage_guess_urgent": "Tekenen van gevaar",
        "triage_yes": "ja",
        "triage_no": "nee",
        "triage_unknown": "onbekend",
        "triage_message": "Wat de cliënt schreef",
        "triage_message_hint": (
            "U leest dit alleen om de melding te kunnen verdelen. Dat wordt vastgelegd in het "
            "logboek. Contactgegevens ziet u niet."
        ),
        "triage_no_message": "Er is geen bericht om te lezen.",
        "triage_advisors": "Vertrouwenspersonen van deze organisatie",
        "triage_advisors_caption": "Wie deze melding kan krijgen, en wie niet",
        "triage_col_advisor": "Naam",
        "triage_col_role": "Rol",
        "triage_col_gender": "Vrouw of man",
        "triage_col_load": "Open meldingen",
        "triage_col_can": "Kan deze melding krijgen",
        "triage_can": "ja",
        "triage_not_current": "nee: heeft de melding nu",
        "triage_not_other_side": "nee: helpt de andere partij",
        "triage_not_excluded": "nee: weigerde of antwoordde niet",
        "triage_not_wrong_role": "nee: andere rol dan deze soort vraagt",
        "triage_not_wish": "nee: past niet bij de wens",
        "triage_not_away": "nee: afwezig",
        "triage_gender_female": "vrouw",
        "triage_gender_male": "man",
        "triage_role_vertrouwenspersoon": "vertrouwenspersoon",
        "triage_role_chair": "voorzitter klachtencommissie",
        # the forms
        "triage_kind_title": "Soort en wens",
        "triage_kind_hint": "Pas aan wat niet klopt. Dit verandert nog niet wie de melding krijgt.",
        "triage_kind_kind": "Waar gaat de melding over?",
        "triage_kind_kind_complaint": "Een klacht (schema A)",
        "triage_kind_kind_conduct": "Ongewenst gedrag (schema B)",
        "triage_kind_kind_question": "Een vraag",
        "triage_kind_wish": "Wens van de cliënt",
        "triage_kind_wish_female": "Een vrouw",
        "triage_kind_wish_male": "Een man",
        "triage_kind_wish_none": "Geen voorkeur",
        "triage_kind_submit": "Bewaar soort en wens",
        "triage_kind_done": "Soort en wens zijn bewaard.",
        "triage_assign_title": "Toewijzen",
        "triage_assign_hint": (
            "Kies iemand uit de lijst, of laat het systeem kiezen: dan krijgt de "
            "vertrouwenspersoon met de minste open meldingen hem."
        ),
        "triage_assign_advisor": "Wie krijgt de melding?",
        "triage_assign_automatic": "Laat het systeem kiezen",
        "triage_assign_submit": "Wijs toe",
        "triage_assign_done": "De melding is toegewezen. De vertrouwenspersoon krijgt een mail.",
        "triage_assign_nobody": (
            "Er is niemand gevonden die de melding kan krijgen. De melding wacht weer bij u."
        ),
        "triage_refer_title": "Doorverwijzen",
        "triage_refer_hint": (
            "Als niemand hier de cliënt kan helpen zoals de cliënt wil. De cliënt krijgt een "
            "e-mail met uw tekst. Wij geven geen gegevens door: de cliënt kiest zelf."
        ),
        "triage_refer_where": "Waar kan de cliënt terecht?",
        "triage_refer_where_hint": (
            "Bijvoorbeeld de naam van een vertrouwenspersoon buiten de organisatie, met "
            "telefoonnummer of website. Schrijf in eenvoudige woorden."
        ),
        "triage_refer_submit": "Verwijs door",
        "triage_refer_done": "De cliënt is doorverwezen en krijgt een e-mail.",
        "triage_dismiss_title": "Geen melding",
        "triage_dismiss_hint": (
            "Alleen voor berichten die geen hulpvraag zijn. De afzender krijgt geen bericht."
        ),
        "triage_dismiss_reason": "Waarom is dit geen melding?",
        "triage_dismiss_submit": "Dit is geen melding",
        "triage_dismiss_done": "Dit bericht staat nu niet meer als melding in de lijst.",
        "triage_refused_kind_first": "Kies eerst waar de melding over gaat.",
        "triage_not_now": "Dat kan nu niet meer: de melding is intussen veranderd.",
        "triage_reassign": "Andere vertrouwenspersoon kiezen",
        # signals
        "signals_title": "Signalen",
        "signals_lead": (
            "Een signaal betekent: meerdere meldingen bij één organisatie gaan over dezelfde "
            "persoon. Het systeem stuurt niets naar de organisatie. U bepaalt wat er gebeurt "
            "en schrijft dat op."
        ),
        "signals_none": "Er zijn geen signalen.",
        "signals_caption": "Signalen, open eerst",
        "signals_col_raised": "Ontstaan",
        "signals_col_cases": "Aantal meldingen",
        "signals_col_status": "Stand",
        "signals_col_signal": "Signaal",
        "signals_status_open": "open",
        "signals_status_decided": "besloten",
        "signals_name": "Signaal {id}",
        "signal_title": "Signaal {id}",
        "signal_back": "Terug naar signalen",
        "signal_organisation": "Organisatie",
        "signal_raised": "Ontstaan op",
        "signal_count": "Aantal meldingen",
        "signal_cases": "De meldingen",
        "signal_decided": "Besluit",
        "signal_decided_by": "Besloten door {who} op {at}",
        "signal_decide_title": "Besluit opschrijven",
        "signal_decide_hint": (
            "Schrijf op wat u met het signaal doet. Alleen coördinatoren van deze organisatie "
            "kunnen dit lezen. Schrijf geen namen op."
        ),
        "signal_decide_decision": "Wat doet u?",
        "signal_decide_note": "Toelichting",
        "signal_decide_submit": "Bewaar het besluit",
        "signal_decide_done": "Het besluit is bewaard.",
    },
    "en": {
        # the queue
        "triage_title": "Triage",
        "triage_lead": (
            "For these cases the system was not sure what they are about or who can help. "
            "Choose the kind and the wish, and assign an advisor."
        ),
        "triage_none": "No cases are waiting. Well done.",
        "triage_caption": "Cases waiting for you to assign them, urgent first",
        "triage_col_received": "Received",
        "triage_col_channel": "Via",
        "triage_col_guess": "The system's guess",
        "triage_col_why": "Why here",
        "triage_channel_email": "email",
        "triage_channel_web": "form",
        "triage_confidence": "{value} ({percent}% sure)",
        "triage_no_guess": "no guess (the client chose)",
        "triage_why_waiting_for_client": "The client is still choosing what it is about",
        "triage_why_unclassified": "The system does not know what it is about",
        "triage_why_organisation_unknown": "The system does not know which organisation it is",
        "triage_why_no_advisor": "There is no advisor with the right role",
        "triage_why_no_matching_advisor": "Nobody meets the client's wish (woman or man)",
        "triage_why_assigned": "Assigned, no answer from the advisor yet",
        # one case
        "triage_case_title": "Assign case {reference}",
        "triage_back": "Back to triage",
        "triage_guesses": "What the system thinks",
        "triage_guess_kind": "Kind",
        "triage_guess_wish": "Wish for a woman or a man",
        "triage_guess_language": "Language",
        "triage_guess_organisation": "Organisation certain",
        "triage_guess_urgent": "Signs of danger",
        "triage_yes": "yes",
        "triage_no": "no",
        "triage_unknown": "unknown",
        "triage_message": "What the client wrote",
        "triage_message_hint": (
            "You read this only to assign the case. This is recorded in the audit log. You "
            "do not see contact details."
        ),
        "triage_no_message": "There is no message to read.",
        "triage_advisors": "Advisors of this organisation",
        "triage_advisors_caption": "Who can get this case, and who cannot",
        "triage_col_advisor": "Name",
        "triage_col_role": "Role",
        "triage_col_gender": "Woman or man",
        "triage_col_load": "Open cases",
        "triage_col_can": "Can get this case",
        "triage_can": "yes",
        "triage_not_current": "no: has the case now",
        "triage_not_other_side": "no: helps the other party",
        "triage_not_excluded": "no: declined or did not answer",
        "triage_not_wrong_role": "no: another role than this kind needs",
        "triage_not_wish": "no: does not meet the wish",
        "triage_not_away": "no: away",
        "triage_gender_female": "woman",
        "triage_gender_male": "man",
        "triage_role_vertrouwenspersoon": "confidential advisor",
        "triage_role_chair": "chair of the complaints committee",
        # the forms
        "triage_kind_title": "Kind and wish",
        "triage_kind_hint": "Change what is not right. This does not yet change who gets it.",
        "triage_kind_kind": "What is the case about?",
        "triage_kind_kind_complaint": "A complaint (schema A)",
        "triage_kind_kind_conduct": "Unwanted conduct (schema B)",
        "triage_kind_kind_question": "A question",
        "triage_kind_wish": "What the client wants",
        "triage_kind_wish_female": "A woman",
        "triage_kind_wish_male": "A man",
        "triage_kind_wish_none": "No preference",
        "triage_kind_submit": "Save kind and wish",
        "triage_kind_done": "Kind and wish are saved.",
        "triage_assign_title": "Assign",
        "triage_assign_hint": (
            "Choose someone from the list, or let the system choose: then the advisor with "
            "the fewest open cases gets it."
        ),
        "triage_assign_advisor": "Who gets the case?",
        "triage_assign_automatic": "Let the system choose",
        "triage_assign_submit": "Assign",
        "triage_assign_done": "The case is assigned. The advisor gets an email.",
        "triage_assign_nobody": "Nobody was found who can get the case. It waits with you again.",
        "triage_refer_title": "Refer elsewhere",
        "triage_refer_hint": (
            "When nobody here can help the client the way they want. The client gets an email "
            "with your text. We pass on no details: the client chooses."
        ),
        "triage_refer_where": "Where can the client turn?",
        "triage_refer_where_hint": (
            "For example the name of an advisor outside the organisation, with phone number "
            "or website. Write in simple words."
        ),
        "triage_refer_submit": "Refer",
        "triage_refer_done": "The client is referred and gets an email.",
        "triage_dismiss_title": "Not a case",
        "triage_dismiss_hint": (
            "Only for messages that do not ask for help. The sender is not told."
        ),
        "triage_dismiss_reason": "Why is this not a case?",
        "triage_dismiss_submit": "This is not a case",
        "triage_dismiss_done": "This message is no longer listed as a case.",
        "triage_refused_kind_first": "First choose what the case is about.",
        "triage_not_now": "That is no longer possible: the case has changed in the meantime.",
        "triage_reassign": "Choose another advisor",
        # signals
        "signals_title": "Signals",
        "signals_lead": (
            "A signal means: several cases at one organisation are about the same person. "
            "The system sends nothing to the organisation. You decide what happens and write "
            "it down."
        ),
        "signals_none": "There are no signals.",
        "signals_caption": "Signals, open first",
        "signals_col_raised": "Raised",
        "signals_col_cases": "Number of cases",
        "signals_col_status": "Status",
        "signals_col_signal": "Signal",
        "signals_status_open": "open",
        "signals_status_decided": "decided",
        "signals_name": "Signal {id}",
        "signal_title": "Signal {id}",
        "signal_back": "Back to signals",
        "signal_organisation": "Organisation",
        "signal_raised": "Raised on",
        "signal_count": "Number of cases",
        "signal_cases": "The cases",
        "signal_decided": "Decision",
        "signal_decided_by": "Decided by {who} on {at}",
        "signal_decide_title": "Record a decision",
        "signal_decide_hint": (
            "Write down what you do with the signal. Only coordinators of this organisation "
            "can read it. Do not write names."
        ),
        "signal_decide_decision": "What do you do?",
        "signal_decide_note": "Explanation",
        "signal_decide_submit": "Save the decision",
        "signal_decide_done": "The decision is saved.",
    },
}
