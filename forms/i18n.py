"""The words of the public pages, Dutch first and English second, in plain language (B1)."""

from __future__ import annotations

import functools

LANGUAGES = ("nl", "en")

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "site_title": "Vertrouwenspersonen",
        "skip": "Ga direct naar de inhoud",
        "switch_language": "English",
        "index_title": "Hulp vragen aan een vertrouwenspersoon",
        "index_intro": (
            "Bent u ontevreden over de hulp? Of heeft u te maken met ongewenst gedrag? "
            "Een vertrouwenspersoon luistert naar u en helpt u. Dat is gratis en "
            "vertrouwelijk. Kies de organisatie waar het over gaat."
        ),
        "index_none": "Er zijn nog geen organisaties aangesloten.",
        "form_title": "Uw melding bij {organisation}",
        "form_intro": (
            "Vertel ons wat er is gebeurd. Een vertrouwenspersoon leest uw bericht. "
            "Wij doen niets zonder uw toestemming. Velden met (verplicht) moeten ingevuld zijn."
        ),
        "danger": "Bent u in gevaar? Bel dan direct 112.",
        "required": "(verplicht)",
        "optional": "(mag leeg blijven)",
        "description": "Wat is er gebeurd?",
        "description_hint": "Schrijf het in uw eigen woorden. Het mag kort zijn.",
        "kind": "Waar gaat het over?",
        "kind_complaint": "Ik ben ontevreden over de hulp of heb een conflict",
        "kind_conduct": "Ik heb te maken met ongewenst of grensoverschrijdend gedrag",
        "kind_question": "Ik heb een vraag",
        "preferred_gender": "Wilt u liever een vrouw of een man als vertrouwenspersoon?",
        "gender_female": "Een vrouw",
        "gender_male": "Een man",
        "gender_none": "Geen voorkeur",
        "about_legend": "Over wie gaat het?",
        "about_hint": "U hoeft dit niet in te vullen.",
        "counterpart_name": "Naam van de persoon",
        "counterpart_role": "Wat doet deze persoon? Bijvoorbeeld: begeleider, vrijwilliger",
        "contact_legend": "Hoe kunnen wij u bereiken?",
        "contact_hint": "Vul uw e-mailadres of telefoonnummer in. Of kies voor anoniem.",
        "name": "Uw naam",
        "email": "Uw e-mailadres",
        "phone": "Uw telefoonnummer",
        "anonymous": "Ik wil anoniem blijven",
        "anonymous_hint": (
            "Dan bewaren wij geen naam of contactgegevens. U krijgt een geheime link en code "
            "om later te kijken hoe het gaat."
        ),
        "language": "In welke taal wilt u antwoord?",
        "language_nl": "Nederlands",
        "language_en": "Engels (English)",
        "privacy": "Ik heb de privacyverklaring gelezen en ga akkoord",
        "privacy_text": (
            "Privacy: wij versleutelen alles wat u schrijft. Alleen de vertrouwenspersoon die "
            "u helpt kan het lezen. Wij bewaren uw gegevens tot 12 maanden na het einde van "
            "de hulp. U mag uw dossier altijd bekijken."
        ),
        "honeypot": "Laat dit veld leeg",
        "submit": "Verstuur melding",
        "errors_title": "Er ging iets mis. Verbeter dit:",
        "error_required": "{field}: vul dit in.",
        "error_choose": "{field}: kies een antwoord.",
        "error_too_long": "{field}: dit is te lang (hoogstens {max} tekens).",
        "error_email": "{field}: dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl.",
        "error_phone": "{field}: gebruik alleen cijfers, spaties, + en -.",
        "error_line_break": "{field}: gebruik één regel.",
        "error_contact": "{field}: vul uw e-mailadres of telefoonnummer in, of kies anoniem.",
        "error_privacy": "{field}: vink dit aan om de melding te versturen.",
        "error_honeypot": "{field}: dit veld moet leeg blijven.",
        "error_csrf": "Het formulier is verlopen. Verstuur het nog een keer.",
        "thanks_title": "Bedankt, wij hebben uw melding ontvangen",
        "thanks_reference": "Uw kenmerk is",
        "thanks_reference_hint": "Noem dit kenmerk als u ons schrijft of belt.",
        "thanks_next": "Wat gebeurt er nu?",
        "thanks_finding": (
            "Wij zoeken een vertrouwenspersoon die past bij uw wens. Wij kiezen nooit iemand "
            "die niet bij uw wens past. Dit kan iets langer duren."
        ),
        "thanks_mail": "U krijgt ook een e-mail met deze informatie.",
        "thanks_anonymous": "U bent anoniem. Bewaar deze link en code goed:",
        "thanks_dossier": "Met deze link kunt u uw dossier altijd bekijken. Deel hem niet:",
        "thanks_link": "Uw geheime link",
        "thanks_code": "Uw code",
        "thanks_keep": (
            "Alleen met de link én de code kunt u later zien hoe het gaat. Wij kunnen ze niet "
            "opnieuw tonen."
        ),
        "thanks_duplicate": "Deze melding was al verstuurd. Wij hebben hem één keer ontvangen.",
        "too_many_title": "Even wachten",
        "too_many": "U heeft kort na elkaar veel meldingen verstuurd. Probeer het later opnieuw.",
        "not_found_title": "Pagina niet gevonden",
        "not_found": "Deze pagina bestaat niet.",
        "home": "Naar de startpagina",
        "dossier_title": "Uw dossier",
        "choose_title": "Waar gaat uw bericht over?",
        "choose_intro": (
            "Wij hebben uw e-mail ontvangen (kenmerk {reference}). Wilt u ons helpen de juiste "
            "vertrouwenspersoon te kiezen? Er gebeurt niets tot u op de knop drukt."
        ),
        "choose_submit": "Bevestig mijn keuze",
        "choose_done_title": "Dank u wel",
        "choose_done": "Wij hebben uw keuze bewaard bij kenmerk {reference}.",
        "staff_title": "Voor medewerkers",
        "staff_soon": (
            "Inloggen voor medewerkers komt binnenkort. Tot dan werkt u met de e-mail "
            "en de beheerder."
        ),
    },
    "en": {
        "site_title": "Confidential advisors",
        "skip": "Skip to main content",
        "switch_language": "Nederlands",
        "index_title": "Ask a confidential advisor for help",
        "index_intro": (
            "Are you unhappy with the help you get? Or are you dealing with unwanted "
            "behaviour? A confidential advisor listens and helps you. It is free and "
            "confidential. Choose the organisation it is about."
        ),
        "index_none": "No organisations have joined yet.",
        "form_title": "Your report to {organisation}",
        "form_intro": (
            "Tell us what happened. A confidential advisor reads your message. We do nothing "
            "without your permission. Fields marked (required) must be filled in."
        ),
        "danger": "Are you in danger? Call 112 now.",
        "required": "(required)",
        "optional": "(optional)",
        "description": "What happened?",
        "description_hint": "Use your own words. It can be short.",
        "kind": "What is it about?",
        "kind_complaint": "I am unhappy with the help, or I have a conflict",
        "kind_conduct": "I am dealing with unwanted or inappropriate behaviour",
        "kind_question": "I have a question",
        "preferred_gender": "Would you rather have a woman or a man as your advisor?",
        "gender_female": "A woman",
        "gender_male": "A man",
        "gender_none": "No preference",
        "about_legend": "Who is it about?",
        "about_hint": "You do not have to fill this in.",
        "counterpart_name": "Name of the person",
        "counterpart_role": "What does this person do? For example: counsellor, volunteer",
        "contact_legend": "How can we reach you?",
        "contact_hint": "Fill in your email address or phone number. Or choose anonymous.",
        "name": "Your name",
        "email": "Your email address",
        "phone": "Your phone number",
        "anonymous": "I want to stay anonymous",
        "anonymous_hint": (
            "Then we keep no name or contact details. You get a secret link and code to see "
            "later how things are going."
        ),
        "language": "In which language do you want an answer?",
        "language_nl": "Dutch (Nederlands)",
        "language_en": "English",
        "privacy": "I have read the privacy statement and I agree",
        "privacy_text": (
            "Privacy: we encrypt everything you write. Only the advisor who helps you can read "
            "it. We keep your data until 12 months after the help ends. You may always see "
            "your file."
        ),
        "honeypot": "Leave this field empty",
        "submit": "Send report",
        "errors_title": "Something went wrong. Please fix this:",
        "error_required": "{field}: please fill this in.",
        "error_choose": "{field}: please choose an answer.",
        "error_too_long": "{field}: this is too long (at most {max} characters).",
        "error_email": "{field}: this is not a valid email address, for example name@example.org.",
        "error_phone": "{field}: use only digits, spaces, + and -.",
        "error_line_break": "{field}: use one line.",
        "error_contact": (
            "{field}: fill in your email address or phone number, or choose anonymous."
        ),
        "error_privacy": "{field}: tick this box to send your report.",
        "error_honeypot": "{field}: this field must stay empty.",
        "error_csrf": "The form has expired. Please send it again.",
        "thanks_title": "Thank you, we have received your report",
        "thanks_reference": "Your reference is",
        "thanks_reference_hint": "Mention this reference when you write or call us.",
        "thanks_next": "What happens now?",
        "thanks_finding": (
            "We are looking for an advisor who fits your wish. We never choose someone who "
            "does not fit your wish. This may take a little longer."
        ),
        "thanks_mail": "You will also get an email with this information.",
        "thanks_anonymous": "You are anonymous. Keep this link and code safe:",
        "thanks_dossier": "With this link you can always see your file. Do not share it:",
        "thanks_link": "Your secret link",
        "thanks_code": "Your code",
        "thanks_keep": (
            "Only with the link and the code can you see later how things are going. We cannot "
            "show them again."
        ),
        "thanks_duplicate": "This report was sent before. We received it once.",
        "too_many_title": "Please wait",
        "too_many": "You sent many reports in a short time. Please try again later.",
        "not_found_title": "Page not found",
        "not_found": "This page does not exist.",
        "home": "Go to the start page",
        "dossier_title": "Your file",
        "choose_title": "What is your message about?",
        "choose_intro": (
            "We have received your email (reference {reference}). Will you help us choose the "
            "right advisor? Nothing happens until you press the button."
        ),
        "choose_submit": "Confirm my choice",
        "choose_done_title": "Thank you",
        "choose_done": "We have saved your choice with reference {reference}.",
        "staff_title": "For staff",
        "staff_soon": (
            "Staff sign-in is coming soon. Until then, work by email and with the operator."
        ),
    },
}


def pick_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "nl"


def words(language: str) -> dict[str, str]:
    """All words of the pages in one language (the casework pages keep theirs apart)."""
    return _merged(pick_language(language))


@functools.cache
def _merged(language: str) -> dict[str, str]:
    from forms.words_admin import ADMIN_TEXT
    from forms.words_client import CLIENT_TEXT
    from forms.words_inbox import INBOX_TEXT
    from forms.words_portal import PORTAL_TEXT
    from forms.words_reports import REPORTS_TEXT
    from forms.words_rights import RIGHTS_TEXT
    from forms.words_sign_in import SIGN_IN_TEXT
    from forms.words_staff import STAFF_TEXT
    from forms.words_triage import TRIAGE_TEXT

    parts = (TEXT, CLIENT_TEXT, STAFF_TEXT, SIGN_IN_TEXT, PORTAL_TEXT, TRIAGE_TEXT, INBOX_TEXT,
             ADMIN_TEXT, RIGHTS_TEXT, REPORTS_TEXT)  # fmt: skip
    merged: dict[str, str] = {}
    for part in parts:
        merged |= part[language]
    return merged
