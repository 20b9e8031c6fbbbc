"""The words of the staff sign-in pages, Dutch first and English second."""

from __future__ import annotations

SIGN_IN_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "signin_title": "Inloggen voor medewerkers",
        "signin_intro": "Log in met uw e-mailadres en uw wachtwoord.",
        "signin_email": "E-mailadres",
        "signin_password": "Wachtwoord",
        "signin_submit": "Inloggen",
        "signin_refused": (
            "Dit e-mailadres en wachtwoord passen niet bij elkaar, of u heeft het te vaak "
            "geprobeerd. Probeer het over een kwartier opnieuw of vraag een inloglink."
        ),
        "signin_link_title": "Geen wachtwoord? Vraag een inloglink",
        "signin_link_intro": (
            "Wij sturen u een link per e-mail. De link werkt 15 minuten en maar één keer."
        ),
        "signin_link_email": "E-mailadres voor de inloglink",
        "signin_link_submit": "Stuur mij een inloglink",
        "signin_link_sent": (
            "Hoort dit e-mailadres bij een medewerker? Dan sturen wij een inloglink. Kijk in "
            "uw e-mail. De link werkt 15 minuten. Krijgt u niets? Probeer het over een "
            "kwartier opnieuw."
        ),
        "signin_use_title": "Inloggen met uw link",
        "signin_use_intro": (
            "Druk op de knop om in te loggen. Er gebeurt pas iets als u op de knop drukt."
        ),
        "signin_use_submit": "Log mij in",
        "signin_code_title": "Tweede stap: uw code",
        "signin_code_intro": (
            "Open de app voor inlogcodes op uw telefoon. Vul de code van 6 cijfers in die "
            "de app nu laat zien."
        ),
        "signin_code": "Code van 6 cijfers",
        "signin_code_submit": "Bevestig de code",
        "signin_code_refused": (
            "Deze code klopt niet, is al gebruikt, of u heeft het te vaak geprobeerd. Wacht "
            "op de volgende code en probeer het opnieuw. Lukt het niet? Probeer het over een "
            "kwartier opnieuw."
        ),
        "signin_both_title": "Eerst nog een controle",
        "signin_both_lead": (
            "U zet de tweede stap voor het eerst aan. Daarvoor hebben wij uw wachtwoord én "
            "een inloglink uit uw eigen mailbox nodig. Zo weten wij zeker dat u het bent."
        ),
        "signin_both_link_title": "Open de inloglink uit uw mail",
        "signin_both_link_sent": (
            "Wij hebben een inloglink naar uw e-mailadres gestuurd. Open die link in deze "
            "browser. De link werkt 15 minuten."
        ),
        "signin_both_resend": "Stuur de link nog een keer",
        "signin_both_password_title": "Vul ook uw wachtwoord in",
        "signin_enrol_again_title": "Nieuwe telefoon?",
        "signin_enrol_again_hint": (
            "Stel de tweede stap opnieuw in. Uw oude app blijft werken tot u een code van "
            "de nieuwe app heeft ingevuld."
        ),
        "signin_enrol_again": "Opnieuw instellen",
        "signin_enrol_title": "Tweede stap instellen",
        "signin_enrol_required": (
            "Voor uw rol is een tweede stap verplicht. U logt dan in met uw wachtwoord of "
            "inloglink én met een code uit een app op uw telefoon."
        ),
        "signin_enrol_offered": (
            "U kunt een tweede stap instellen. U logt dan in met uw wachtwoord of inloglink "
            "én met een code uit een app op uw telefoon. Zo is uw account beter beveiligd."
        ),
        "signin_enrol_step_app": (
            "Installeer een app voor inlogcodes op uw telefoon, bijvoorbeeld FreeOTP, "
            "Aegis, Google Authenticator of Microsoft Authenticator."
        ),
        "signin_enrol_step_scan": "Scan deze QR-code met de app.",
        "signin_enrol_step_code": "Vul hieronder de code van 6 cijfers in die de app laat zien.",
        "signin_qr_label": "QR-code om de tweede stap in de app in te stellen",
        "signin_secret": "Kunt u de QR-code niet scannen? Typ dan deze sleutel in de app:",
        "signin_enrol_submit": "Zet de tweede stap aan",
        "signin_enrol_on": "De tweede stap staat al aan voor uw account.",
        "signin_sign_out": "Uitloggen",
        "signin_signed_out": "U bent uitgelogd.",
        "signin_to_staff": "Naar de pagina's voor medewerkers",
    },
    "en": {
        "signin_title": "Staff sign-in",
        "signin_intro": "Sign in with your email address and your password.",
        "signin_email": "Email address",
        "signin_password": "Password",
        "signin_submit": "Sign in",
        "signin_refused": (
            "This email address and password do not match, or you tried too often. Try "
            "again in a quarter of an hour or ask for a sign-in link."
        ),
        "signin_link_title": "No password? Ask for a sign-in link",
        "signin_link_intro": (
            "We send you a link by email. The link works for 15 minutes and only once."
        ),
        "signin_link_email": "Email address for the sign-in link",
        "signin_link_submit": "Send me a sign-in link",
        "signin_link_sent": (
            "If this email address belongs to a staff member, we send a sign-in link. Look in "
            "your email. The link works for 15 minutes. Nothing arrived? Try again in a "
            "quarter of an hour."
        ),
        "signin_use_title": "Sign in with your link",
        "signin_use_intro": (
            "Press the button to sign in. Nothing happens until you press the button."
        ),
        "signin_use_submit": "Sign me in",
        "signin_code_title": "Second step: your code",
        "signin_code_intro": (
            "Open the app for sign-in codes on your phone. Fill in the 6-digit code the app "
            "shows now."
        ),
        "signin_code": "6-digit code",
        "signin_code_submit": "Confirm the code",
        "signin_code_refused": (
            "This code is not right, was used before, or you tried too often. Wait for the "
            "next code and try again. Still not working? Try again in a quarter of an hour."
        ),
        "signin_both_title": "One more check first",
        "signin_both_lead": (
            "You are turning on the second step for the first time. For this we need your "
            "password and a sign-in link from your own mailbox. That way we know it is you."
        ),
        "signin_both_link_title": "Open the sign-in link in your mail",
        "signin_both_link_sent": (
            "We have sent a sign-in link to your email address. Open that link in this "
            "browser. The link works for 15 minutes."
        ),
        "signin_both_resend": "Send the link again",
        "signin_both_password_title": "Fill in your password too",
        "signin_enrol_again_title": "New phone?",
        "signin_enrol_again_hint": (
            "Set up the second step again. Your old app keeps working until you have filled "
            "in a code from the new app."
        ),
        "signin_enrol_again": "Set up again",
        "signin_enrol_title": "Set up the second step",
        "signin_enrol_required": (
            "Your role needs a second step. You then sign in with your password or sign-in "
            "link and with a code from an app on your phone."
        ),
        "signin_enrol_offered": (
            "You can set up a second step. You then sign in with your password or sign-in "
            "link and with a code from an app on your phone. This keeps your account safer."
        ),
        "signin_enrol_step_app": (
            "Install an app for sign-in codes on your phone, for example FreeOTP, Aegis, "
            "Google Authenticator or Microsoft Authenticator."
        ),
        "signin_enrol_step_scan": "Scan this QR code with the app.",
        "signin_enrol_step_code": "Fill in below the 6-digit code the app shows.",
        "signin_qr_label": "QR code to set up the second step in the app",
        "signin_secret": "Cannot scan the QR code? Then type this key into the app:",
        "signin_enrol_submit": "Turn on the second step",
        "signin_enrol_on": "The second step is already on for your account.",
        "signin_sign_out": "Sign out",
        "signin_signed_out": "You are signed out.",
        "signin_to_staff": "Go to the staff pages",
    },
}
