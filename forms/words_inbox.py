"""The words of the quarantine and machine-mail pages, Dutch first and English second."""

from __future__ import annotations

INBOX_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # the lists
        "inbox_title": "Niet verwerkte mail",
        "inbox_lead": (
            "Deze mail uit de gedeelde mailbox werd geen melding. Bekijk de mail en kies wat "
            "ermee moet gebeuren. Wij bewaren alle mail."
        ),
        "inbox_quarantined_title": "Mail die niet verwerkt kon worden",
        "inbox_quarantined_lead": (
            "Deze mail konden wij niet lezen of niet verwerken. Misschien schreef iemand om hulp."
        ),
        "inbox_quarantined_caption": "Niet verwerkte mail, nieuwste eerst",
        "inbox_machine_title": "Mail van machines",
        "inbox_machine_lead": (
            "Automatische antwoorden, berichten over mail die niet aankwam en nieuwsbrieven. "
            "Wij sturen hierop nooit een antwoord."
        ),
        "inbox_machine_caption": "Mail van machines, nieuwste eerst",
        "inbox_dismissed_title": "Afgehandelde mail",
        "inbox_dismissed_lead": (
            "Over deze mail is besloten dat er niets mee hoeft. Wij bewaren de mail wel."
        ),
        "inbox_dismissed_caption": "Afgehandelde mail, nieuwste eerst",
        "inbox_count": "{total} in totaal. U ziet er {shown}.",
        "inbox_none_quarantined": "Er is geen mail die niet verwerkt kon worden.",
        "inbox_none_machine": "Er is geen mail van machines.",
        "inbox_none_dismissed": "Er is geen afgehandelde mail.",
        "inbox_dismissed_count": "Afgehandelde mail: {count}.",
        "inbox_show_dismissed": "Bekijk de afgehandelde mail",
        "inbox_show_lists": "Terug naar de niet verwerkte mail",
        "inbox_col_mail": "Mail",
        "inbox_col_received": "Ontvangen",
        "inbox_col_reason": "Waarom",
        "inbox_col_size": "Grootte",
        "inbox_col_case": "Melding",
        "inbox_mail": "Mail {id}",
        "inbox_no_case": "Geen",
        # the reasons, in plain words
        "inbox_reason_unreadable": "De mail is niet te lezen.",
        "inbox_reason_gave_up": "Het verwerken lukte een paar keer niet. Dat is een fout bij ons.",
        "inbox_reason_failed": "Het verwerken lukte niet.",
        "inbox_reason_bounce": "Bericht dat een mail niet is aangekomen.",
        "inbox_reason_auto_reply": "Automatisch antwoord, bijvoorbeeld een afwezigheidsbericht.",
        "inbox_reason_list": "Nieuwsbrief of mail van een mailinglijst.",
        "inbox_reason_ourselves": "Mail van ons eigen adres.",
        "inbox_reason_machine": "Mail van een machine.",
        "inbox_size_bytes": "{size} bytes",
        "inbox_size_kb": "{size} kB",
        "inbox_size_mb": "{size} MB",
        # one mail
        "inbox_item_title": "Mail {id}",
        "inbox_back": "Terug naar de niet verwerkte mail",
        "inbox_facts_title": "Over deze mail",
        "inbox_kind": "Soort",
        "inbox_kind_quarantined": "Niet verwerkt",
        "inbox_kind_machine": "Mail van een machine",
        "inbox_kind_dismissed": "Afgehandeld",
        "inbox_received": "Ontvangen",
        "inbox_reason": "Waarom",
        "inbox_technical": "Technische reden:",
        "inbox_attempts": "Keren geprobeerd",
        "inbox_size": "Grootte",
        "inbox_case": "Melding",
        "inbox_content_title": "Wat er in de mail staat",
        "inbox_content_hint": (
            "U ziet de mail als gewone tekst. Opmaak, plaatjes en scripts zijn weggelaten."
        ),
        "inbox_header_from": "Van",
        "inbox_header_to": "Aan",
        "inbox_header_subject": "Onderwerp",
        "inbox_header_date": "Datum",
        "inbox_text": "Tekst",
        "inbox_no_text": "Deze mail heeft geen tekst.",
        "inbox_files_title": "Bijlagen",
        "inbox_files_hint": (
            "U kunt bijlagen hier niet openen. U ziet alleen naam, soort en grootte."
        ),
        "inbox_files_caption": "Bijlagen van deze mail",
        "inbox_no_files": "Deze mail heeft geen bijlagen.",
        "inbox_col_name": "Naam",
        "inbox_col_type": "Soort bestand",
        "inbox_unreadable": (
            "Deze mail kon niet gelezen worden. Hieronder staat de inhoud zoals die binnenkwam, "
            "als tekst. Tekens die niet te lezen zijn, staan er als \ufffd."
        ),
        "inbox_raw_cut": "U ziet alleen het begin: de eerste 20.000 tekens.",
        "inbox_defects": "Fouten in de mail:",
        # what a coordinator decides
        "inbox_actions_title": "Wat wilt u doen?",
        "inbox_no_actions": "Er is niets meer te doen met deze mail.",
        "inbox_requeue_title": "Opnieuw verwerken",
        "inbox_requeue_hint": (
            "Kies dit als de fout is opgelost. Lukt het nu wel, dan wordt de mail een melding "
            "of komt hij bij de melding waar hij bij hoort."
        ),
        "inbox_requeue_submit": "Opnieuw verwerken",
        "inbox_requeue_done": "De mail wordt opnieuw verwerkt.",
        "inbox_treat_as_person_title": "Deze mail is van een mens",
        "inbox_treat_as_person_hint": (
            "Kies dit als een mens deze mail schreef. Dan verwerken wij de mail als een "
            "gewone mail: er komt een melding van, of hij komt bij de melding waar hij bij hoort."
        ),
        "inbox_treat_as_person_submit": "Verwerken als mail van een mens",
        "inbox_treat_as_person_done": "De mail wordt verwerkt als mail van een mens.",
        "inbox_dismiss_title": "Afhandelen",
        "inbox_dismiss_hint": (
            "Kies dit als er niets met de mail hoeft te gebeuren. De mail gaat van de lijst af. "
            "Wij bewaren de mail wel."
        ),
        "inbox_dismiss_submit": "Afhandelen",
        "inbox_dismiss_done": "De mail is afgehandeld. Hij staat niet meer op de lijst.",
        "inbox_refused": (
            "Dat kan niet meer met deze mail. Misschien heeft iemand anders al iets gedaan."
        ),
    },
    "en": {
        # the lists
        "inbox_title": "Unprocessed mail",
        "inbox_lead": (
            "This mail from the shared mailbox did not become a case. Look at the mail and "
            "choose what should happen to it. We keep all mail."
        ),
        "inbox_quarantined_title": "Mail we could not process",
        "inbox_quarantined_lead": (
            "We could not read or process this mail. Someone may have written to ask for help."
        ),
        "inbox_quarantined_caption": "Unprocessed mail, newest first",
        "inbox_machine_title": "Mail from machines",
        "inbox_machine_lead": (
            "Automatic replies, messages about mail that did not arrive, and newsletters. "
            "We never answer these."
        ),
        "inbox_machine_caption": "Mail from machines, newest first",
        "inbox_dismissed_title": "Dismissed mail",
        "inbox_dismissed_lead": (
            "Someone decided that nothing needs to be done with this mail. We still keep it."
        ),
        "inbox_dismissed_caption": "Dismissed mail, newest first",
        "inbox_count": "{total} in all. You see {shown}.",
        "inbox_none_quarantined": "There is no mail we could not process.",
        "inbox_none_machine": "There is no mail from machines.",
        "inbox_none_dismissed": "There is no dismissed mail.",
        "inbox_dismissed_count": "Dismissed mail: {count}.",
        "inbox_show_dismissed": "See the dismissed mail",
        "inbox_show_lists": "Back to the unprocessed mail",
        "inbox_col_mail": "Mail",
        "inbox_col_received": "Received",
        "inbox_col_reason": "Why",
        "inbox_col_size": "Size",
        "inbox_col_case": "Case",
        "inbox_mail": "Mail {id}",
        "inbox_no_case": "None",
        # the reasons, in plain words
        "inbox_reason_unreadable": "The mail cannot be read.",
        "inbox_reason_gave_up": "Processing failed a few times. This is a fault on our side.",
        "inbox_reason_failed": "Processing did not work.",
        "inbox_reason_bounce": "A message that a mail did not arrive.",
        "inbox_reason_auto_reply": "An automatic reply, for example an out-of-office message.",
        "inbox_reason_list": "A newsletter or mail from a mailing list.",
        "inbox_reason_ourselves": "Mail from our own address.",
        "inbox_reason_machine": "Mail from a machine.",
        "inbox_size_bytes": "{size} bytes",
        "inbox_size_kb": "{size} kB",
        "inbox_size_mb": "{size} MB",
        # one mail
        "inbox_item_title": "Mail {id}",
        "inbox_back": "Back to the unprocessed mail",
        "inbox_facts_title": "About this mail",
        "inbox_kind": "Kind",
        "inbox_kind_quarantined": "Not processed",
        "inbox_kind_machine": "Mail from a machine",
        "inbox_kind_dismissed": "Dismissed",
        "inbox_received": "Received",
        "inbox_reason": "Why",
        "inbox_technical": "Technical reason:",
        "inbox_attempts": "Times tried",
        "inbox_size": "Size",
        "inbox_case": "Case",
        "inbox_content_title": "What the mail says",
        "inbox_content_hint": (
            "You see the mail as plain text. Layout, images and scripts are left out."
        ),
        "inbox_header_from": "From",
        "inbox_header_to": "To",
        "inbox_header_subject": "Subject",
        "inbox_header_date": "Date",
        "inbox_text": "Text",
        "inbox_no_text": "This mail has no text.",
        "inbox_files_title": "Attachments",
        "inbox_files_hint": (
            "You cannot open attachments here. You only see their name, type and size."
        ),
        "inbox_files_caption": "Attachments of this mail",
        "inbox_no_files": "This mail has no attachments.",
        "inbox_col_name": "Name",
        "inbox_col_type": "File type",
        "inbox_unreadable": (
            "This mail could not be read. Below is its content as it came in, as text. "
            "Characters that cannot be read are shown as \ufffd."
        ),
        "inbox_raw_cut": "You only see the start: the first 20,000 characters.",
        "inbox_defects": "Faults in the mail:",
        # what a coordinator decides
        "inbox_actions_title": "What do you want to do?",
        "inbox_no_actions": "There is nothing more to do with this mail.",
        "inbox_requeue_title": "Process again",
        "inbox_requeue_hint": (
            "Choose this when the fault has been fixed. If it works now, the mail becomes a "
            "case or joins the case it belongs to."
        ),
        "inbox_requeue_submit": "Process again",
        "inbox_requeue_done": "The mail will be processed again.",
        "inbox_treat_as_person_title": "A person wrote this mail",
        "inbox_treat_as_person_hint": (
            "Choose this when a person wrote this mail. We then process it as an ordinary "
            "mail: it becomes a case, or joins the case it belongs to."
        ),
        "inbox_treat_as_person_submit": "Process as mail from a person",
        "inbox_treat_as_person_done": "The mail will be processed as mail from a person.",
        "inbox_dismiss_title": "Dismiss",
        "inbox_dismiss_hint": (
            "Choose this when nothing needs to be done with the mail. It leaves the list. "
            "We still keep it."
        ),
        "inbox_dismiss_submit": "Dismiss",
        "inbox_dismiss_done": "The mail is dismissed. It is no longer on the list.",
        "inbox_refused": (
            "That is no longer possible with this mail. Someone else may have acted on it."
        ),
    },
}
