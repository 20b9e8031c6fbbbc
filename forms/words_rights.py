"""The words of the client's rights: the dossier's data section, the erase page, the PDF copy,
and the coordinator's requests pages. Dutch first and English second.

Plain language (B1), "u" in Dutch. Keys start with rights_ (client pages), pdf_ (the copy),
requests_/request_ (coordinator pages) and erasure_grant_/erasure_refuse_ (the coordinator's
forms, named as forms.advisor_pages expects: `<form>_<field>`, `_title`, `_hint`, `_submit`).
"""

from __future__ import annotations

RIGHTS_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # the dossier's section
        "rights_title": "Uw gegevens",
        "rights_intro": (
            "U mag altijd zien welke gegevens wij over u bewaren. Download een kopie. Of "
            "vraag ons om uw gegevens te wissen."
        ),
        "rights_pdf": "Download mijn gegevens (PDF)",
        "rights_pdf_hint": "Een bestand om te lezen of te printen.",
        "rights_json": "Download mijn gegevens (JSON)",
        "rights_json_hint": (
            "Een bestand voor computerprogramma's. Bijvoorbeeld om uw gegevens mee te nemen "
            "naar een andere organisatie."
        ),
        "rights_erase_title": "Uw gegevens laten wissen",
        "rights_erase_text": (
            "U mag ons vragen om uw gegevens te wissen. Wij beslissen binnen een maand."
        ),
        "rights_erase_link": "Vraag om mijn gegevens te wissen",
        "rights_erase_open": (
            "U vroeg op {asked} om uw gegevens te wissen. U krijgt uiterlijk op {due} antwoord."
        ),
        "rights_erase_refused": (
            "Op {date} hebben wij besloten uw gegevens niet te wissen. Dit is de reden:"
        ),
        # the erase page
        "rights_erase_page_title": "Vragen om uw gegevens te wissen",
        "rights_erase_what": "Wat gebeurt er als wij uw gegevens wissen?",
        "rights_erase_what_text": (
            "Wij halen uw naam, uw e-mailadres, uw telefoonnummer, uw berichten en uw "
            "bestanden weg. Uw vertrouwenspersoon kan u dan niet meer helpen bij deze "
            "melding. Uw dossier is daarna niet meer te zien. Dit kan niet ongedaan worden."
        ),
        "rights_erase_when": "Wanneer hoort u iets?",
        "rights_erase_when_text": (
            "Een coördinator beslist binnen een maand. Soms mogen wij niet wissen. Bijvoorbeeld "
            "als de wet zegt dat wij iets moeten bewaren. Dan leggen wij uit waarom."
        ),
        "rights_erase_tell": (
            "Gaf u ons uw e-mailadres? Dan krijgt u een e-mail met het besluit. Zonder "
            "e-mailadres ziet u het besluit op de pagina van uw dossier. Wissen wij uw "
            "gegevens? Dan opent uw dossier niet meer. Zo weet u dat het klaar is."
        ),
        "rights_erase_copy": (
            "Wilt u eerst een kopie van uw gegevens? Download die dan eerst op de pagina van "
            "uw dossier."
        ),
        "rights_erase_confirm": "Ja, ik wil dat u mijn gegevens wist",
        "error_erase_confirm": "{field}: vink dit aan als u echt wilt dat wij uw gegevens wissen.",
        "rights_erase_submit": "Vraag om te wissen",
        "rights_erase_done": "Wij hebben uw vraag om uw gegevens te wissen ontvangen.",
        "rights_back": "Terug naar mijn dossier",
        # the copy (PDF)
        "pdf_title": "Uw gegevens bij melding {reference}",
        "pdf_intro": (
            "Dit is een kopie van de gegevens die wij over u bewaren bij deze melding. "
            "Gemaakt op {date}."
        ),
        "pdf_you": "Over u",
        "pdf_name": "Naam",
        "pdf_email": "E-mailadres",
        "pdf_phone": "Telefoonnummer",
        "pdf_preference": "Hoe wilt u contact?",
        "pdf_preference_email": "per e-mail",
        "pdf_preference_phone": "per telefoon",
        "pdf_preference_both": "per e-mail en telefoon",
        "pdf_anonymous": "Anoniem gemeld",
        "pdf_yes": "ja",
        "pdf_no": "nee",
        "pdf_not_given": "niet gegeven",
        "pdf_wish": "Vrouw of man als vertrouwenspersoon",
        "pdf_language": "Taal",
        "pdf_language_nl": "Nederlands",
        "pdf_language_en": "Engels",
        "pdf_channel": "Gemeld via",
        "pdf_channel_web": "het formulier op de website",
        "pdf_channel_email": "e-mail",
        "pdf_first_contact": "Eerste contact met uw vertrouwenspersoon",
        "pdf_complaint_filed": "Klacht ingediend op",
        "pdf_closed": "Afgesloten op",
        "pdf_counterpart": "Over wie het gaat (zoals u het ons vertelde)",
        "pdf_counterpart_name": "Naam",
        "pdf_counterpart_role": "Wat doet deze persoon?",
        "pdf_files": "Bestanden die u stuurde",
        "pdf_file": "{name} ({size} kB), ontvangen op {date}",
        "pdf_files_none": "U heeft ons geen bestanden gestuurd.",
        "pdf_requests": "Uw vragen over uw gegevens",
        "pdf_request_open": "Op {asked} vroeg u om te wissen. Wij antwoorden uiterlijk op {due}.",
        "pdf_request_granted": "Op {asked} vroeg u om te wissen. Op {date} hebben wij gewist.",
        "pdf_request_refused": (
            "Op {asked} vroeg u om te wissen. Op {date} hebben wij dat geweigerd. De reden:"
        ),
        "pdf_requests_none": "U heeft ons niets gevraagd over uw gegevens.",
        "pdf_evaluation": "Uw antwoorden over de hulp",
        "pdf_page": "Pagina {page}",
        "pdf_unknown_characters": (
            "Sommige tekens passen niet in dit bestand. U ziet ze als ?. In het JSON-bestand "
            "staat alles."
        ),
        # the coordinator's list
        "requests_title": "Verzoeken van cliënten",
        "requests_lead": (
            "Een cliënt mag vragen om zijn of haar gegevens te wissen (AVG artikel 17). U "
            "beslist binnen een maand. Wat het eerst af moet, staat bovenaan."
        ),
        "requests_open": "Open verzoeken",
        "requests_open_caption": "Open verzoeken, wat het eerst af moet bovenaan",
        "requests_open_none": "Er zijn geen open verzoeken.",
        "requests_settled": "Afgehandelde verzoeken",
        "requests_settled_caption": "Afgehandelde verzoeken, nieuwste eerst",
        "requests_settled_none": "Er zijn nog geen afgehandelde verzoeken.",
        "requests_col_reference": "Melding",
        "requests_col_kind": "Verzoek",
        "requests_col_requested": "Gevraagd op",
        "requests_col_due": "Beslissen vóór",
        "requests_col_left": "Tijd",
        "requests_col_status": "Besluit",
        "requests_col_settled": "Afgehandeld op",
        "requests_kind_erasure": "gegevens wissen",
        "requests_left": "nog {days} dagen",
        "requests_left_one": "nog 1 dag",
        "requests_left_today": "vandaag",
        "requests_overdue": "{days} dagen te laat",
        "requests_overdue_one": "1 dag te laat",
        "requests_status_open": "open",
        "requests_status_granted": "gewist",
        "requests_status_refused": "geweigerd",
        # one request
        "request_title": "Verzoek om te wissen: {reference}",
        "request_back": "Terug naar verzoeken",
        "request_organisation": "Organisatie",
        "request_case": "Melding",
        "request_case_gone": "De gegevens van deze melding zijn gewist.",
        "request_settled_by": "Afgehandeld door {who} op {at}",
        "request_reason": "Reden van weigeren",
        "request_decide": "Beslissen",
        "request_not_now": "Dit verzoek is al afgehandeld, of u mag het niet afhandelen.",
        "erasure_grant_title": "Gegevens wissen",
        "erasure_grant_hint": (
            "Wij halen de naam, de contactgegevens, de berichten en de bestanden van de "
            "cliënt nu meteen weg. De cliënt krijgt eerst een e-mail. Dit kan niet ongedaan "
            "worden."
        ),
        "erasure_grant_confirm": "Ik begrijp dat dit niet ongedaan kan worden",
        "erasure_grant_submit": "Wis de gegevens nu",
        "erasure_grant_done": "De gegevens zijn gewist. De cliënt krijgt bericht.",
        "erasure_refuse_title": "Weigeren",
        "erasure_refuse_hint": (
            "Alleen met een goede reden. Bijvoorbeeld een wettelijke plicht om te bewaren, of "
            "een klacht die nog loopt. De cliënt leest uw reden, en dat hij of zij kan klagen "
            "bij de Autoriteit Persoonsgegevens."
        ),
        "erasure_refuse_reason": "Reden",
        "erasure_refuse_submit": "Weiger het verzoek",
        "erasure_refuse_done": "Het verzoek is geweigerd. De cliënt krijgt de reden.",
    },
    "en": {
        # the dossier's section
        "rights_title": "Your data",
        "rights_intro": (
            "You may always see which data we keep about you. Download a copy. Or ask us to "
            "erase your data."
        ),
        "rights_pdf": "Download my data (PDF)",
        "rights_pdf_hint": "A file to read or print.",
        "rights_json": "Download my data (JSON)",
        "rights_json_hint": (
            "A file for computer programs. For example to take your data to another organisation."
        ),
        "rights_erase_title": "Have your data erased",
        "rights_erase_text": "You may ask us to erase your data. We decide within one month.",
        "rights_erase_link": "Ask to erase my data",
        "rights_erase_open": (
            "On {asked} you asked us to erase your data. You will get an answer by {due} at "
            "the latest."
        ),
        "rights_erase_refused": "On {date} we decided not to erase your data. This is the reason:",
        # the erase page
        "rights_erase_page_title": "Ask to erase your data",
        "rights_erase_what": "What happens if we erase your data?",
        "rights_erase_what_text": (
            "We remove your name, your email address, your phone number, your messages and "
            "your files. Your advisor can then no longer help you with this report. After "
            "that you can no longer see your file. This cannot be undone."
        ),
        "rights_erase_when": "When will you hear from us?",
        "rights_erase_when_text": (
            "A coordinator decides within one month. Sometimes we may not erase. For example "
            "when the law says we must keep something. Then we explain why."
        ),
        "rights_erase_tell": (
            "Did you give us your email address? Then you get an email with the decision. "
            "Without an email address you see the decision on the page of your file. Do we "
            "erase your data? Then your file no longer opens. That is how you know it is done."
        ),
        "rights_erase_copy": (
            "Do you want a copy of your data first? Then download it first on the page of "
            "your file."
        ),
        "rights_erase_confirm": "Yes, I want you to erase my data",
        "error_erase_confirm": "{field}: tick this box if you really want us to erase your data.",
        "rights_erase_submit": "Ask to erase",
        "rights_erase_done": "We have received your request to erase your data.",
        "rights_back": "Back to my file",
        # the copy (PDF)
        "pdf_title": "Your data for report {reference}",
        "pdf_intro": (
            "This is a copy of the data we keep about you for this report. Made on {date}."
        ),
        "pdf_you": "About you",
        "pdf_name": "Name",
        "pdf_email": "Email address",
        "pdf_phone": "Phone number",
        "pdf_preference": "How do you want us to contact you?",
        "pdf_preference_email": "by email",
        "pdf_preference_phone": "by phone",
        "pdf_preference_both": "by email and phone",
        "pdf_anonymous": "Reported anonymously",
        "pdf_yes": "yes",
        "pdf_no": "no",
        "pdf_not_given": "not given",
        "pdf_wish": "A woman or a man as your advisor",
        "pdf_language": "Language",
        "pdf_language_nl": "Dutch",
        "pdf_language_en": "English",
        "pdf_channel": "Reported through",
        "pdf_channel_web": "the form on the website",
        "pdf_channel_email": "email",
        "pdf_first_contact": "First contact with your advisor",
        "pdf_complaint_filed": "Complaint filed on",
        "pdf_closed": "Closed on",
        "pdf_counterpart": "Who it is about (as you told us)",
        "pdf_counterpart_name": "Name",
        "pdf_counterpart_role": "What does this person do?",
        "pdf_files": "Files you sent",
        "pdf_file": "{name} ({size} kB), received on {date}",
        "pdf_files_none": "You have not sent us any files.",
        "pdf_requests": "Your requests about your data",
        "pdf_request_open": "On {asked} you asked us to erase. We will answer by {due}.",
        "pdf_request_granted": "On {asked} you asked us to erase. On {date} we erased.",
        "pdf_request_refused": (
            "On {asked} you asked us to erase. On {date} we refused. The reason:"
        ),
        "pdf_requests_none": "You have not asked us anything about your data.",
        "pdf_evaluation": "Your answers about the help",
        "pdf_page": "Page {page}",
        "pdf_unknown_characters": (
            "Some characters do not fit in this file. You see them as ?. The JSON file has "
            "everything."
        ),
        # the coordinator's list
        "requests_title": "Requests from clients",
        "requests_lead": (
            "A client may ask to erase their data (GDPR article 17). You decide within one "
            "month. What is due first is at the top."
        ),
        "requests_open": "Open requests",
        "requests_open_caption": "Open requests, what is due first at the top",
        "requests_open_none": "There are no open requests.",
        "requests_settled": "Settled requests",
        "requests_settled_caption": "Settled requests, newest first",
        "requests_settled_none": "No requests have been settled yet.",
        "requests_col_reference": "Case",
        "requests_col_kind": "Request",
        "requests_col_requested": "Asked on",
        "requests_col_due": "Decide by",
        "requests_col_left": "Time",
        "requests_col_status": "Decision",
        "requests_col_settled": "Settled on",
        "requests_kind_erasure": "erase data",
        "requests_left": "{days} days left",
        "requests_left_one": "1 day left",
        "requests_left_today": "today",
        "requests_overdue": "{days} days overdue",
        "requests_overdue_one": "1 day overdue",
        "requests_status_open": "open",
        "requests_status_granted": "erased",
        "requests_status_refused": "refused",
        # one request
        "request_title": "Request to erase: {reference}",
        "request_back": "Back to requests",
        "request_organisation": "Organisation",
        "request_case": "Case",
        "request_case_gone": "The data of this case has been erased.",
        "request_settled_by": "Settled by {who} on {at}",
        "request_reason": "Reason for refusing",
        "request_decide": "Decide",
        "request_not_now": "This request is settled already, or you may not settle it.",
        "erasure_grant_title": "Erase the data",
        "erasure_grant_hint": (
            "We remove the client's name, contact details, messages and files at once. The "
            "client gets an email first. This cannot be undone."
        ),
        "erasure_grant_confirm": "I understand that this cannot be undone",
        "erasure_grant_submit": "Erase the data now",
        "erasure_grant_done": "The data has been erased. The client will be told.",
        "erasure_refuse_title": "Refuse",
        "erasure_refuse_hint": (
            "Only with a good reason. For example a legal duty to keep the data, or a "
            "complaint that is still going on. The client reads your reason, and that they "
            "can complain to the Dutch Data Protection Authority."
        ),
        "erasure_refuse_reason": "Reason",
        "erasure_refuse_submit": "Refuse the request",
        "erasure_refuse_done": "The request has been refused. The client will get the reason.",
    },
}
