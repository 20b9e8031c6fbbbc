"""What happens after a client writes to us, and our labels, as plain-language data (B1)."""

from collections.abc import Mapping

from mailtemplates.languages import resolve_language

KINDS = ("complaint", "conduct", "question", "unknown")
PREFERRED_GENDERS = ("female", "male", "none")

# The steps are written from "what happens now that you have written to us".
# complaint follows schema A and conduct schema B of the client complaint
# procedure (seed 003); "nothing without your permission" is the rule of the
# Versa regulation (seed 000) and of domain rule 3. The web thank-you page
# shows the same tuples, so this stays data and holds no markup.
_PATHS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "complaint": {
        "nl": (
            "We hebben uw bericht goed ontvangen.",
            "Binnen een paar werkdagen neemt een vertrouwenspersoon contact met u op. "
            "Samen bespreekt u wat u wilt.",
            "Vaak helpt het om eerst te praten met de persoon over wie u klaagt, "
            "of met zijn of haar leidinggevende. De vertrouwenspersoon kan u helpen "
            "bij dat gesprek.",
            "Lukt dat niet? Dan kan de voorzitter van de klachtencommissie u helpen "
            "om samen een oplossing te vinden.",
            "Is er dan nog geen oplossing? Dan kunt u een officiële klacht indienen "
            "bij de klachtencommissie. De commissie luistert naar beide kanten. "
            "Daarna zegt de commissie wat zij van uw klacht vindt. Ook geeft zij advies "
            "over wat er moet gebeuren.",
            "U beslist zelf welke stap u zet. Er gebeurt niets zonder uw toestemming.",
        ),
        "en": (
            "We have received your message.",
            "Within a few working days, an advisor will contact you. "
            "Together you talk about what you want.",
            "It often helps to talk first with the person you are complaining about, "
            "or with their manager. The advisor can help you with that conversation.",
            "Does that not work? Then the chair of the complaints committee can help you "
            "find a solution together.",
            "Is there still no solution? Then you can make a formal complaint to the "
            "complaints committee. The committee listens to both sides. Then it says "
            "what it thinks of your complaint. It also gives advice on what should happen.",
            "You decide which step you take. Nothing happens without your permission.",
        ),
    },
    "conduct": {
        "nl": (
            "We hebben uw bericht goed ontvangen.",
            "Binnen een paar werkdagen neemt een vertrouwenspersoon contact met u op. "
            "De vertrouwenspersoon staat aan uw kant.",
            "U mag kiezen: een man of een vrouw als vertrouwenspersoon. "
            "We geven u nooit iemand die u niet wilt.",
            "Samen zoekt u naar een oplossing. Bijvoorbeeld een gesprek met de medewerker "
            "of met zijn of haar leidinggevende, maar alleen als u dat wilt.",
            "U beslist wat er gebeurt. De vertrouwenspersoon doet niets zonder uw toestemming.",
            "Komt er geen oplossing? Dan kunt u een officiële klacht indienen bij de "
            "klachtencommissie. De vertrouwenspersoon kan u daarbij helpen.",
        ),
        "en": (
            "We have received your message.",
            "Within a few working days, an advisor will contact you. The advisor is on your side.",
            "You may choose: a man or a woman as your advisor. "
            "We will never give you someone you do not want.",
            "Together you look for a solution. For example a talk with the staff member "
            "or with their manager, but only if you want that.",
            "You decide what happens. The advisor does nothing without your permission.",
            "Is there no solution? Then you can make a formal complaint to the "
            "complaints committee. The advisor can help you with that.",
        ),
    },
    "question": {
        "nl": (
            "We hebben uw vraag goed ontvangen.",
            "Een vertrouwenspersoon leest uw vraag.",
            "Binnen een paar werkdagen krijgt u antwoord.",
            "Er gebeurt niets zonder uw toestemming.",
        ),
        "en": (
            "We have received your question.",
            "An advisor reads your question.",
            "Within a few working days, you will get an answer.",
            "Nothing happens without your permission.",
        ),
    },
    "unknown": {
        "nl": (
            "We hebben uw bericht goed ontvangen.",
            "Een vertrouwenspersoon leest uw bericht.",
            "Binnen een paar werkdagen krijgt u antwoord. "
            "Dan kijken we samen wat de beste volgende stap is.",
            "Er gebeurt niets zonder uw toestemming.",
        ),
        "en": (
            "We have received your message.",
            "An advisor reads your message.",
            "Within a few working days, you will get an answer. "
            "Then we look together at the best next step.",
            "Nothing happens without your permission.",
        ),
    },
}

_KIND_LABELS: Mapping[str, Mapping[str, str]] = {
    "complaint": {"nl": "klacht over de hulp of begeleiding", "en": "complaint about the help"},
    "conduct": {
        "nl": "ongewenst of grensoverschrijdend gedrag",
        "en": "unwanted or inappropriate behaviour",
    },
    "question": {"nl": "vraag", "en": "question"},
    "unknown": {"nl": "nog niet bekend", "en": "not known yet"},
}

_GENDER_WISH_LABELS: Mapping[str, Mapping[str, str]] = {
    "female": {"nl": "een vrouwelijke vertrouwenspersoon", "en": "a female advisor"},
    "male": {"nl": "een mannelijke vertrouwenspersoon", "en": "a male advisor"},
    "none": {"nl": "geen voorkeur", "en": "no preference"},
}

# One entry per name in mailtemplates.TEMPLATE_NAMES (a test holds them equal),
# for a staff mail or screen that has to say which of our mails it means.
_TEMPLATE_LABELS: Mapping[str, Mapping[str, str]] = {
    "referred": {
        "nl": "het bericht dat wij u doorverwijzen",
        "en": "the message that we refer you elsewhere",
    },
    "retention_warning": {
        "nl": "de waarschuwing dat de melding anoniem wordt gemaakt",
        "en": "the warning that the case will be made anonymous",
    },
    "acknowledgement": {"nl": "de ontvangstbevestiging", "en": "the acknowledgement"},
    "assignment": {
        "nl": "de opdracht aan de vertrouwenspersoon",
        "en": "the assignment to the advisor",
    },
    "triage_needed": {
        "nl": "het verzoek om actie aan de coördinator",
        "en": "the request for action to the coordinator",
    },
    "client_replied": {
        "nl": "het bericht over een nieuwe e-mail van de cliënt",
        "en": "the notice of a new message from the client",
    },
    "urgent_case": {
        "nl": "de waarschuwing over een mogelijk acuut risico",
        "en": "the warning about a possible acute risk",
    },
    "bounce_notice": {
        "nl": "het bericht dat een e-mail niet is afgeleverd",
        "en": "the notice that an email was not delivered",
    },
    "assignment_reminder": {
        "nl": "de herinnering om de melding aan te nemen of af te wijzen",
        "en": "the reminder to accept or decline the case",
    },
    "reassigned": {
        "nl": "het bericht dat de melding naar een ander is gegaan",
        "en": "the notice that the case went to someone else",
    },
    "case_accepted": {
        "nl": "de bevestiging dat de vertrouwenspersoon de melding heeft aangenomen",
        "en": "the confirmation that the advisor accepted the case",
    },
    "first_contact_reminder": {
        "nl": "de herinnering om contact op te nemen met de cliënt",
        "en": "the reminder to contact the client",
    },
    "inactivity_reminder": {
        "nl": "de herinnering dat er niets gebeurt in de melding",
        "en": "the reminder that nothing happens in the case",
    },
    "consent_answered": {
        "nl": "het bericht over het antwoord op een vraag om toestemming",
        "en": "the notice of the answer to a request for permission",
    },
    "confidentiality_broken": {
        "nl": "het bericht dat de geheimhouding is doorbroken",
        "en": "the notice that confidentiality was broken",
    },
    "deadline_reminder": {
        "nl": "de herinnering aan de termijn van de klacht",
        "en": "the reminder of the complaint term",
    },
    "deadline_passed": {
        "nl": "het bericht dat de termijn van de klacht voorbij is",
        "en": "the notice that the complaint term has passed",
    },
    "signal_raised": {
        "nl": "het signaal over meerdere meldingen over dezelfde persoon",
        "en": "the signal about several cases about the same person",
    },
    "case_withdrawn": {
        "nl": "het bericht dat de cliënt de melding heeft ingetrokken",
        "en": "the notice that the client withdrew the case",
    },
    "work_link": {
        "nl": "de nieuwe link voor de vertrouwenspersoon",
        "en": "the new link for the advisor",
    },
    "sign_in_link": {
        "nl": "de inloglink voor de medewerker",
        "en": "the sign-in link for the staff member",
    },
    "consent_request": {
        "nl": "de vraag om toestemming aan de cliënt",
        "en": "the request for permission to the client",
    },
    "advisor_message": {
        "nl": "het bericht van de vertrouwenspersoon aan de cliënt",
        "en": "the message from the advisor to the client",
    },
    "evaluation_request": {
        "nl": "de vragen aan de cliënt over de hulp",
        "en": "the questions to the client about the support",
    },
    "deadline_extended": {
        "nl": "het bericht aan de cliënt dat de klachtencommissie meer tijd nodig heeft",
        "en": "the notice to the client that the complaints committee needs more time",
    },
    "dossier_link": {
        "nl": "de nieuwe link voor de cliënt",
        "en": "the new link for the client",
    },
    "withdrawal_confirmed": {
        "nl": "de bevestiging dat de cliënt de melding heeft ingetrokken",
        "en": "the confirmation to the client that the report is withdrawn",
    },
    "erasure_requested": {
        "nl": "het verzoek van een cliënt om gegevens te wissen",
        "en": "the client's request to erase data",
    },
    "erasure_reminder": {
        "nl": "de herinnering om over het wissen te beslissen",
        "en": "the reminder to decide on erasing",
    },
    "erasure_received": {
        "nl": "de bevestiging aan de cliënt dat de vraag om te wissen binnen is",
        "en": "the confirmation to the client that the request to erase arrived",
    },
    "erasure_settled": {
        "nl": "het besluit over het wissen, aan de cliënt",
        "en": "the decision on erasing, to the client",
    },
}


def _lookup(table: Mapping[str, Mapping[str, str]], what: str, key: str, language: str) -> str:
    if key not in table:
        raise ValueError(f"unknown {what} {key!r}; expected one of {', '.join(table)}")
    return table[key][resolve_language(language)]


def client_path(kind: str, language: str) -> tuple[str, ...]:
    """The steps the client goes through from now on, one plain sentence or two each."""
    if kind not in _PATHS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _PATHS[kind][resolve_language(language)]


def kind_label(kind: str, language: str) -> str:
    """What the case is about, in words ("vraag", "unwanted or inappropriate behaviour")."""
    return _lookup(_KIND_LABELS, "kind", kind, language)


def gender_wish_label(preferred_gender: str, language: str) -> str:
    """The client's wish for a man or a woman, in words ("geen voorkeur", "a female advisor")."""
    return _lookup(_GENDER_WISH_LABELS, "preferred_gender", preferred_gender, language)


def template_label(name: str, language: str) -> str:
    """Which of our mails `name` is, in words ("de ontvangstbevestiging", "the acknowledgement")."""
    return _lookup(_TEMPLATE_LABELS, "template name", name, language)
