"""The words of the admin pages (organisations, staff, leave, audit log): Dutch, English."""

from __future__ import annotations

ADMIN_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "admin_saved": "De wijzigingen zijn opgeslagen.",
        "admin_yes": "Ja",
        "admin_no": "Nee",
        "admin_none": "Geen",
        "admin_role_vertrouwenspersoon": "Vertrouwenspersoon",
        "admin_role_chair": "Voorzitter klachtencommissie",
        "admin_role_coordinator": "Coördinator",
        "admin_role_admin": "Beheerder",
        "admin_role_system": "Systeem",
        "admin_gender_female": "Vrouw",
        "admin_gender_male": "Man",
        "admin_language_nl": "Nederlands",
        "admin_language_en": "Engels",
        # organisations
        "admin_org_title": "Organisaties",
        "admin_org_lead": (
            "Hier ziet u alle organisaties. Kies een organisatie om de instellingen te wijzigen."
        ),
        "admin_org_caption": "Alle organisaties",
        "admin_org_col_name": "Naam",
        "admin_org_col_slug": "Code",
        "admin_org_col_complaint": "Klachten door",
        "admin_org_col_conduct": "Ongewenst gedrag door",
        "admin_org_col_question": "Vragen door",
        "admin_org_col_staff": "Medewerkers",
        "admin_org_none": "Er zijn nog geen organisaties.",
        "admin_org_new_title": "Organisatie toevoegen",
        "admin_org_new_hint": "Daarna kunt u de termijnen en kantooruren instellen.",
        "admin_org_new_submit": "Organisatie toevoegen",
        "admin_org_added": "De organisatie is toegevoegd. Kijk de instellingen hieronder na.",
        "admin_org_edit_title": "Instellingen van {name}",
        "admin_org_edit_lead": (
            "De code {slug} staat in de link van het meldformulier. Die code kunt u niet wijzigen."
        ),
        "admin_org_back": "Terug naar alle organisaties",
        "admin_org_submit": "Instellingen opslaan",
        "admin_org_group_about": "Naam en adres",
        "admin_org_group_roles": "Wie behandelt wat",
        "admin_org_group_roles_hint": "Kies per soort melding wie de melding krijgt.",
        "admin_org_group_days": "Termijnen",
        "admin_org_group_days_hint": "Alle termijnen tellen in werkdagen.",
        "admin_org_group_hours": "Kantooruren",
        "admin_org_group_keeping": "Bewaren",
        "admin_org_group_signals": "Signalen",
        "admin_org_group_signals_hint": (
            "Noemen meerdere meldingen dezelfde persoon? Dan krijgt de coördinator een signaal."
        ),
        "admin_org_slug": "Code voor de link",
        "admin_org_slug_hint": "Alleen kleine letters, cijfers en streepjes, bijvoorbeeld versa.",
        "admin_org_name": "Naam van de organisatie",
        "admin_org_committee_email": "E-mailadres van de klachtencommissie",
        "admin_org_committee_email_hint": "Bijvoorbeeld klachtencommissie@example.org.",
        "admin_org_complaint_role": "Klachten",
        "admin_org_conduct_role": "Ongewenst gedrag",
        "admin_org_question_role": "Vragen",
        "admin_org_assignment_reminder_days": "Herinnering als een melding niet is aangenomen",
        "admin_org_assignment_reminder_days_hint": "Na zoveel werkdagen, {low} tot en met {high}.",
        "admin_org_assignment_escalation_days": (
            "Melding naar iemand anders als hij niet is aangenomen"
        ),
        "admin_org_assignment_escalation_days_hint": (
            "Na zoveel werkdagen, {low} tot en met {high}. Dit moet later zijn dan de herinnering."
        ),
        "admin_org_first_contact_days": "Herinnering als er nog geen eerste contact is",
        "admin_org_first_contact_days_hint": "Na zoveel werkdagen, {low} tot en met {high}.",
        "admin_org_inactivity_days": "Herinnering als er niets gebeurt in een melding",
        "admin_org_inactivity_days_hint": "Na zoveel werkdagen, {low} tot en met {high}.",
        "admin_org_timezone": "Tijdzone",
        "admin_org_timezone_hint": "Bijvoorbeeld Europe/Amsterdam.",
        "admin_org_business_start_hour": "Begin van de werkdag",
        "admin_org_business_start_hour_hint": "Het uur, {low} tot en met {high}. Bijvoorbeeld 9.",
        "admin_org_business_end_hour": "Einde van de werkdag",
        "admin_org_business_end_hour_hint": "Het uur, {low} tot en met {high}. Bijvoorbeeld 17.",
        "admin_org_signal_threshold": "Aantal meldingen voor een signaal",
        "admin_org_signal_threshold_hint": "{low} tot en met {high}.",
        "admin_org_signal_window_days": "Binnen hoeveel dagen die meldingen tellen",
        "admin_org_signal_window_days_hint": "{low} tot en met {high} dagen.",
        "admin_org_retention_months": "Afgesloten melding bewaren",
        "admin_org_retention_months_hint": (
            "Hoe lang na het afsluiten wij een melding bewaren. Daarna maken wij hem anoniem. "
            "Aantal maanden, {low} tot en met {high}."
        ),
        "admin_org_machine_mail_retention_days": "Mail van machines bewaren",
        "admin_org_machine_mail_retention_days_hint": (
            "Hoe lang wij automatische antwoorden en nieuwsbrieven bewaren. Daarna verwijderen "
            "wij ze. Aantal dagen na binnenkomst, {low} tot en met {high}."
        ),
        "admin_org_quarantine_retention_days": "Niet verwerkte mail bewaren",
        "admin_org_quarantine_retention_days_hint": (
            "Hoe lang wij mail bewaren die wij niet konden verwerken, ook als die is "
            "afgehandeld. Daarna verwijderen wij de mail. Aantal dagen na binnenkomst, {low} "
            "tot en met {high}."
        ),
        # staff
        "admin_staff_title": "Medewerkers",
        "admin_staff_lead": (
            "Hier ziet u alle medewerkers van alle organisaties. Kies een naam om gegevens, "
            "verlof of de tweede stap te wijzigen."
        ),
        "admin_staff_caption": "Alle medewerkers",
        "admin_staff_col_name": "Naam",
        "admin_staff_col_email": "E-mailadres",
        "admin_staff_col_role": "Rol",
        "admin_staff_col_gender": "Man of vrouw",
        "admin_staff_col_active": "Actief",
        "admin_staff_col_organisations": "Organisaties",
        "admin_staff_col_factor": "Tweede stap",
        "admin_staff_col_leave": "Verlof",
        "admin_staff_none": "Er zijn nog geen medewerkers.",
        "admin_staff_new_title": "Medewerker toevoegen",
        "admin_staff_new_hint": ("De medewerker logt daarna in met een link die per e-mail komt."),
        "admin_staff_new_submit": "Medewerker toevoegen",
        "admin_staff_added": "De medewerker is toegevoegd.",
        "admin_staff_back": "Terug naar alle medewerkers",
        "admin_staff_edit_lead": (
            "E-mailadres: {email}. Met dit adres logt de medewerker in. U kunt het hier "
            "niet wijzigen."
        ),
        "admin_staff_edit_title": "Gegevens",
        "admin_staff_submit": "Gegevens opslaan",
        "admin_staff_name": "Naam",
        "admin_staff_email": "E-mailadres",
        "admin_staff_email_hint": "Hiermee logt de medewerker in.",
        "admin_staff_role": "Rol",
        "admin_staff_role_hint": (
            "Een beheerder ziet geen meldingen. Een coördinator ziet hoe meldingen lopen."
        ),
        "admin_staff_gender": "Man of vrouw",
        "admin_staff_gender_hint": "Een cliënt mag kiezen voor een man of een vrouw.",
        "admin_staff_languages": "Talen",
        "admin_staff_languages_hint": "In deze talen kan de medewerker cliënten helpen.",
        "admin_staff_organisations": "Organisaties",
        "admin_staff_organisations_hint": "Kies minstens één organisatie.",
        "admin_staff_is_active": "Actief",
        "admin_staff_is_active_hint": (
            "Zet dit uit als iemand niet meer bij ons werkt. Die persoon kan dan niet meer "
            "inloggen en krijgt geen meldingen."
        ),
        # leave
        "admin_leave_title": "Verlof",
        "admin_leave_lead": "Wie verlof heeft, krijgt in die tijd geen nieuwe meldingen.",
        "admin_leave_caption": "Verlof nu en later",
        "admin_leave_col_period": "Periode",
        "admin_leave_col_action": "Actie",
        "admin_leave_period": "{start} tot en met {end}",
        "admin_leave_none": "Er is geen verlof gepland.",
        "admin_leave_remove": "Verlof verwijderen",
        "admin_leave_removed": "Het verlof is verwijderd.",
        "admin_leave_add_title": "Verlof toevoegen",
        "admin_leave_starts_on": "Eerste dag van het verlof",
        "admin_leave_ends_on": "Laatste dag van het verlof",
        "admin_leave_ends_on_hint": "Ook deze dag is de medewerker vrij.",
        "admin_leave_submit": "Verlof toevoegen",
        "admin_leave_added": "Het verlof is toegevoegd.",
        # the second factor
        "admin_factor_title": "Tweede stap bij inloggen",
        "admin_factor_is_on": "{name} gebruikt een app voor de tweede stap.",
        "admin_factor_is_off": "{name} heeft geen app voor de tweede stap ingesteld.",
        "admin_factor_on": "Aan",
        "admin_factor_off": "Uit",
        "admin_factor_reset_hint": (
            "Is de telefoon kwijt of nieuw? Herstel dan de tweede stap. De medewerker stelt "
            "hem opnieuw in bij de volgende keer inloggen."
        ),
        "admin_factor_reset_submit": "Tweede stap herstellen",
        "admin_factor_reset_done": (
            "De tweede stap is hersteld. De medewerker stelt hem opnieuw in bij het inloggen."
        ),
        # the audit log
        "admin_audit_title": "Logboek",
        "admin_audit_lead": (
            "Hier staat wie wat heeft gedaan of bekeken, en wanneer. Het logboek kan niemand "
            "wijzigen. Ook dat u dit bekijkt, komt in het logboek."
        ),
        "admin_audit_filter_title": "Zoeken in het logboek",
        "admin_audit_reference": "Kenmerk van de melding",
        "admin_audit_reference_hint": "Bijvoorbeeld VP-2026-0001.",
        "admin_audit_staff": "E-mailadres van de medewerker",
        "admin_audit_staff_hint": "Bijvoorbeeld naam@example.org.",
        "admin_audit_filter_submit": "Zoeken",
        "admin_audit_clear": "Alles tonen",
        "admin_audit_entries": "Regels",
        "admin_audit_caption": "Het logboek, nieuwste regels eerst",
        "admin_audit_col_at": "Tijd",
        "admin_audit_col_staff": "Medewerker",
        "admin_audit_col_role": "Rol",
        "admin_audit_col_action": "Wat",
        "admin_audit_col_reference": "Kenmerk",
        "admin_audit_col_detail": "Toelichting",
        "admin_audit_system": "systeem",
        "admin_audit_none": "Er zijn geen regels gevonden.",
        "admin_audit_pages": "Pagina's van het logboek",
        "admin_audit_newest": "Naar de nieuwste regels",
        "admin_audit_older": "Oudere regels",
        "admin_audit_export": "Deze regels downloaden (CSV-bestand)",
        # errors: each names its field
        "admin_error_required": "{field}: vul dit in.",
        "admin_error_too_long": "{field}: dit is te lang (hoogstens {max} tekens).",
        "admin_error_one_line": "{field}: gebruik één regel.",
        "admin_error_email": (
            "{field}: dit is geen goed e-mailadres, bijvoorbeeld naam@example.org."
        ),
        "admin_error_email_taken": "{field}: dit e-mailadres heeft al een medewerker.",
        "admin_error_choice": "{field}: kies een van de mogelijkheden.",
        "admin_error_range": "{field}: vul een heel getal in van {low} tot en met {high}.",
        "admin_error_time_zone": (
            "{field}: deze tijdzone kennen wij niet, bijvoorbeeld Europe/Amsterdam."
        ),
        "admin_error_hours_order": "{field}: de werkdag moet eindigen na het begin.",
        "admin_error_escalation_order": "{field}: dit moet later zijn dan de herinnering.",
        "admin_error_slug": "{field}: gebruik alleen kleine letters, cijfers en streepjes.",
        "admin_error_slug_taken": "{field}: deze code heeft al een organisatie.",
        "admin_error_last_admin": (
            "{field}: u bent de laatste actieve beheerder. Maak eerst iemand anders beheerder."
        ),
        "admin_error_date": "{field}: vul een datum in, bijvoorbeeld 2026-12-24.",
        "admin_error_leave_order": "{field}: de laatste dag mag niet voor de eerste dag liggen.",
        "admin_error_leave_past": "{field}: deze dag is al voorbij.",
    },
    "en": {
        "admin_saved": "The changes have been saved.",
        "admin_yes": "Yes",
        "admin_no": "No",
        "admin_none": "None",
        "admin_role_vertrouwenspersoon": "Confidential advisor",
        "admin_role_chair": "Chair of the complaints committee",
        "admin_role_coordinator": "Coordinator",
        "admin_role_admin": "Administrator",
        "admin_role_system": "System",
        "admin_gender_female": "Woman",
        "admin_gender_male": "Man",
        "admin_language_nl": "Dutch",
        "admin_language_en": "English",
        # organisations
        "admin_org_title": "Organisations",
        "admin_org_lead": "Here you see all organisations. Choose one to change its settings.",
        "admin_org_caption": "All organisations",
        "admin_org_col_name": "Name",
        "admin_org_col_slug": "Code",
        "admin_org_col_complaint": "Complaints go to",
        "admin_org_col_conduct": "Unwanted behaviour goes to",
        "admin_org_col_question": "Questions go to",
        "admin_org_col_staff": "Staff",
        "admin_org_none": "There are no organisations yet.",
        "admin_org_new_title": "Add an organisation",
        "admin_org_new_hint": "After that you can set its time limits and office hours.",
        "admin_org_new_submit": "Add organisation",
        "admin_org_added": "The organisation has been added. Please check its settings below.",
        "admin_org_edit_title": "Settings of {name}",
        "admin_org_edit_lead": (
            "The code {slug} is part of the link to the report form. You cannot change it."
        ),
        "admin_org_back": "Back to all organisations",
        "admin_org_submit": "Save settings",
        "admin_org_group_about": "Name and address",
        "admin_org_group_roles": "Who handles what",
        "admin_org_group_roles_hint": "For each kind of report, choose who gets it.",
        "admin_org_group_days": "Time limits",
        "admin_org_group_days_hint": "All time limits count in working days.",
        "admin_org_group_hours": "Office hours",
        "admin_org_group_keeping": "Keeping data",
        "admin_org_group_signals": "Signals",
        "admin_org_group_signals_hint": (
            "Do several reports name the same person? Then the coordinator gets a signal."
        ),
        "admin_org_slug": "Code for the link",
        "admin_org_slug_hint": "Only small letters, digits and hyphens, for example versa.",
        "admin_org_name": "Name of the organisation",
        "admin_org_committee_email": "Email address of the complaints committee",
        "admin_org_committee_email_hint": "For example complaints@example.org.",
        "admin_org_complaint_role": "Complaints",
        "admin_org_conduct_role": "Unwanted behaviour",
        "admin_org_question_role": "Questions",
        "admin_org_assignment_reminder_days": "Reminder when a report has not been accepted",
        "admin_org_assignment_reminder_days_hint": "After this many working days, {low} to {high}.",
        "admin_org_assignment_escalation_days": "Report goes to someone else when not accepted",
        "admin_org_assignment_escalation_days_hint": (
            "After this many working days, {low} to {high}. This must come after the reminder."
        ),
        "admin_org_first_contact_days": "Reminder when there is no first contact yet",
        "admin_org_first_contact_days_hint": "After this many working days, {low} to {high}.",
        "admin_org_inactivity_days": "Reminder when nothing happens in a report",
        "admin_org_inactivity_days_hint": "After this many working days, {low} to {high}.",
        "admin_org_timezone": "Time zone",
        "admin_org_timezone_hint": "For example Europe/Amsterdam.",
        "admin_org_business_start_hour": "Start of the working day",
        "admin_org_business_start_hour_hint": "The hour, {low} to {high}. For example 9.",
        "admin_org_business_end_hour": "End of the working day",
        "admin_org_business_end_hour_hint": "The hour, {low} to {high}. For example 17.",
        "admin_org_signal_threshold": "Number of reports for a signal",
        "admin_org_signal_threshold_hint": "{low} to {high}.",
        "admin_org_signal_window_days": "Within how many days those reports count",
        "admin_org_signal_window_days_hint": "{low} to {high} days.",
        "admin_org_retention_months": "Keep a closed report",
        "admin_org_retention_months_hint": (
            "How long after closing we keep a report. Then we make it anonymous. "
            "Number of months, {low} to {high}."
        ),
        "admin_org_machine_mail_retention_days": "Keep mail from machines",
        "admin_org_machine_mail_retention_days_hint": (
            "How long we keep automatic replies and newsletters. Then we delete them. "
            "Number of days after they arrived, {low} to {high}."
        ),
        "admin_org_quarantine_retention_days": "Keep mail we could not process",
        "admin_org_quarantine_retention_days_hint": (
            "How long we keep mail we could not process, also once it has been dealt with. "
            "Then we delete it. Number of days after it arrived, {low} to {high}."
        ),
        # staff
        "admin_staff_title": "Staff",
        "admin_staff_lead": (
            "Here you see all staff of all organisations. Choose a name to change their "
            "details, leave or second step."
        ),
        "admin_staff_caption": "All staff",
        "admin_staff_col_name": "Name",
        "admin_staff_col_email": "Email address",
        "admin_staff_col_role": "Role",
        "admin_staff_col_gender": "Man or woman",
        "admin_staff_col_active": "Active",
        "admin_staff_col_organisations": "Organisations",
        "admin_staff_col_factor": "Second step",
        "admin_staff_col_leave": "Leave",
        "admin_staff_none": "There are no staff yet.",
        "admin_staff_new_title": "Add a staff member",
        "admin_staff_new_hint": "The staff member then signs in with a link sent by email.",
        "admin_staff_new_submit": "Add staff member",
        "admin_staff_added": "The staff member has been added.",
        "admin_staff_back": "Back to all staff",
        "admin_staff_edit_lead": (
            "Email address: {email}. The staff member signs in with this address. You cannot "
            "change it here."
        ),
        "admin_staff_edit_title": "Details",
        "admin_staff_submit": "Save details",
        "admin_staff_name": "Name",
        "admin_staff_email": "Email address",
        "admin_staff_email_hint": "The staff member signs in with this address.",
        "admin_staff_role": "Role",
        "admin_staff_role_hint": (
            "An administrator sees no reports. A coordinator sees how reports are going."
        ),
        "admin_staff_gender": "Man or woman",
        "admin_staff_gender_hint": "A client may choose a man or a woman.",
        "admin_staff_languages": "Languages",
        "admin_staff_languages_hint": "The staff member can help clients in these languages.",
        "admin_staff_organisations": "Organisations",
        "admin_staff_organisations_hint": "Choose at least one organisation.",
        "admin_staff_is_active": "Active",
        "admin_staff_is_active_hint": (
            "Turn this off when someone no longer works with us. They can then no longer sign "
            "in and get no reports."
        ),
        # leave
        "admin_leave_title": "Leave",
        "admin_leave_lead": "Someone on leave gets no new reports during that time.",
        "admin_leave_caption": "Leave now and later",
        "admin_leave_col_period": "Period",
        "admin_leave_col_action": "Action",
        "admin_leave_period": "{start} to {end}",
        "admin_leave_none": "No leave is planned.",
        "admin_leave_remove": "Remove leave",
        "admin_leave_removed": "The leave has been removed.",
        "admin_leave_add_title": "Add leave",
        "admin_leave_starts_on": "First day of leave",
        "admin_leave_ends_on": "Last day of leave",
        "admin_leave_ends_on_hint": "The staff member is off on this day too.",
        "admin_leave_submit": "Add leave",
        "admin_leave_added": "The leave has been added.",
        # the second factor
        "admin_factor_title": "Second step when signing in",
        "admin_factor_is_on": "{name} uses an app for the second step.",
        "admin_factor_is_off": "{name} has not set up an app for the second step.",
        "admin_factor_on": "On",
        "admin_factor_off": "Off",
        "admin_factor_reset_hint": (
            "Is the phone lost or new? Then reset the second step. The staff member sets it up "
            "again at the next sign-in."
        ),
        "admin_factor_reset_submit": "Reset second step",
        "admin_factor_reset_done": (
            "The second step has been reset. The staff member sets it up again when signing in."
        ),
        # the audit log
        "admin_audit_title": "Audit log",
        "admin_audit_lead": (
            "Here you see who did or viewed what, and when. Nobody can change the audit log. "
            "That you view it is logged too."
        ),
        "admin_audit_filter_title": "Search the audit log",
        "admin_audit_reference": "Reference of the report",
        "admin_audit_reference_hint": "For example VP-2026-0001.",
        "admin_audit_staff": "Email address of the staff member",
        "admin_audit_staff_hint": "For example name@example.org.",
        "admin_audit_filter_submit": "Search",
        "admin_audit_clear": "Show everything",
        "admin_audit_entries": "Entries",
        "admin_audit_caption": "The audit log, newest entries first",
        "admin_audit_col_at": "Time",
        "admin_audit_col_staff": "Staff member",
        "admin_audit_col_role": "Role",
        "admin_audit_col_action": "What",
        "admin_audit_col_reference": "Reference",
        "admin_audit_col_detail": "Detail",
        "admin_audit_system": "system",
        "admin_audit_none": "No entries were found.",
        "admin_audit_pages": "Pages of the audit log",
        "admin_audit_newest": "Go to the newest entries",
        "admin_audit_older": "Older entries",
        "admin_audit_export": "Download these entries (CSV file)",
        # errors: each names its field
        "admin_error_required": "{field}: please fill this in.",
        "admin_error_too_long": "{field}: this is too long (at most {max} characters).",
        "admin_error_one_line": "{field}: use one line.",
        "admin_error_email": (
            "{field}: this is not a valid email address, for example name@example.org."
        ),
        "admin_error_email_taken": "{field}: a staff member has this email address already.",
        "admin_error_choice": "{field}: please choose one of the options.",
        "admin_error_range": "{field}: fill in a whole number from {low} to {high}.",
        "admin_error_time_zone": (
            "{field}: we do not know this time zone, for example Europe/Amsterdam."
        ),
        "admin_error_hours_order": "{field}: the working day must end after it starts.",
        "admin_error_escalation_order": "{field}: this must come after the reminder.",
        "admin_error_slug": "{field}: use only small letters, digits and hyphens.",
        "admin_error_slug_taken": "{field}: an organisation has this code already.",
        "admin_error_last_admin": (
            "{field}: you are the last active administrator. Make someone else an "
            "administrator first."
        ),
        "admin_error_date": "{field}: fill in a date, for example 2026-12-24.",
        "admin_error_leave_order": "{field}: the last day cannot come before the first day.",
        "admin_error_leave_past": "{field}: this day has passed already.",
    },
}
