"""The words of the client's casework pages, Dutch first and English second.

Plain language (B1), "u" in Dutch. Keys start with the page they belong to (consent_,
eval_, dossier_, lost_, stage_, status_) so they never collide with the other word lists.
"""

from __future__ import annotations

CLIENT_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # consent
        "consent_title": "Wij vragen uw toestemming",
        "consent_intro": (
            "Uw vertrouwenspersoon wil iets doen voor uw melding {reference}. Dat mag alleen "
            "als u het goed vindt. Daarom vragen wij het u. Het gaat om deze ene stap."
        ),
        "consent_action": "Waar gaat het om?",
        "consent_what": "Wat gaat er gebeuren?",
        "consent_towards": "Bij wie?",
        "consent_information": "Welke informatie wordt gedeeld?",
        "consent_free": "U beslist zelf. Nee zeggen mag altijd. Dat heeft geen nadelen voor u.",
        "consent_answer_by": "Geeft u geen antwoord vóór {date}? Dan is uw antwoord nee.",
        "consent_question": "Geeft u toestemming voor deze stap?",
        "consent_yes": "Ja",
        "consent_no": "Nee",
        "consent_given_title": "Dank u. U heeft ja gezegd.",
        "consent_refused_title": "Dank u. U heeft nee gezegd.",
        "consent_given_next": (
            "Uw vertrouwenspersoon krijgt hier bericht van. Hij of zij doet nu alleen deze "
            "ene stap, en niets anders."
        ),
        "consent_refused_next": (
            "Uw vertrouwenspersoon krijgt hier bericht van en doet deze stap niet. U kunt "
            "samen bekijken wat u wel wilt."
        ),
        "consent_can_withdraw": (
            "Bedenkt u zich later? U kunt uw ja altijd terugnemen op de pagina van uw dossier."
        ),
        "consent_to_dossier": "Naar mijn dossier",
        # evaluation
        "eval_title": "Hoe was de hulp?",
        "eval_intro": (
            "De hulp bij uw melding is klaar. Wilt u drie korte vragen beantwoorden? Alle "
            "vragen mogen leeg blijven. Wij bewaren uw antwoorden zonder uw naam en zonder "
            "uw kenmerk."
        ),
        "eval_experience": "Hoe vond u de hulp van de vertrouwenspersoon?",
        "eval_experience_1": "Heel slecht",
        "eval_experience_2": "Slecht",
        "eval_experience_3": "Niet goed en niet slecht",
        "eval_experience_4": "Goed",
        "eval_experience_5": "Heel goed",
        "eval_useful": "Had u iets aan de hulp?",
        "eval_useful_yes": "Ja",
        "eval_useful_partly": "Een beetje",
        "eval_useful_no": "Nee",
        "eval_themes": "Wat moet de organisatie veranderen, zodat dit niet nog eens gebeurt?",
        "eval_themes_hint": "Kies zo veel als u wilt.",
        "eval_advice": "Wilt u in uw eigen woorden zeggen wat de organisatie moet veranderen?",
        "eval_submit": "Verstuur mijn antwoorden",
        "eval_done_title": "Dank u wel",
        "eval_done": (
            "Wij hebben uw antwoorden bewaard. Uw melding is nu afgesloten. Met uw antwoorden "
            "kan de organisatie beter worden."
        ),
        # the dossier page
        "dossier_intro": (
            "Hier ziet u hoe het gaat met uw melding. Alleen u kunt deze pagina zien. "
            "Gebruikt u een computer van iemand anders? Meld u dan af als u klaar bent."
        ),
        "dossier_summary": "Uw melding",
        "dossier_reference": "Kenmerk",
        "dossier_organisation": "Organisatie",
        "dossier_started": "Gemeld op",
        "dossier_stage": "Hoe staat het ervoor?",
        "dossier_advisor": "Uw vertrouwenspersoon",
        "dossier_step": "Laatste stap",
        "dossier_deadline": "De klachtencommissie antwoordt uiterlijk op",
        "stage_finding_advisor": "Wij zoeken een vertrouwenspersoon voor u.",
        "stage_working": "Een vertrouwenspersoon helpt u.",
        "stage_your_answer": "Wij wachten op uw antwoord over toestemming.",
        "stage_evaluation": "De hulp is klaar. Wij vragen u nog hoe het ging.",
        "stage_closed": "Uw melding is afgesloten.",
        "stage_referred": "Wij hebben u doorverwezen. Iemand anders helpt u verder.",
        "stage_withdrawn": "U bent gestopt met uw melding.",
        "stage_not_a_case": "Wij konden met dit bericht niets doen.",
        "dossier_consents": "Toestemming",
        "dossier_consents_none": "Er is u nog niets gevraagd.",
        "status_requested": "Gevraagd op {date}. U heeft nog niet geantwoord.",
        "status_given": "U zei ja op {date}.",
        "status_refused": "U zei nee op {date}.",
        "status_withdrawn": "U zei eerst ja. Op {date} heeft u uw ja teruggenomen.",
        "status_lapsed": "U gaf geen antwoord. Dat telt als nee.",
        "status_cancelled": "Deze vraag geldt niet meer.",
        "consent_requested_hint": "U antwoordt via de link in de e-mail die wij u stuurden.",
        "consent_withdraw": "Neem mijn ja terug",
        "consent_withdraw_hint": "Dan mag uw vertrouwenspersoon dit niet meer doen.",
        "dossier_conversation": "Berichten",
        "dossier_conversation_none": "Er zijn nog geen berichten.",
        "dossier_from_you": "U schreef op {date}",
        "dossier_from_advisor": "Uw vertrouwenspersoon schreef op {date}",
        "dossier_message": "Schrijf een bericht aan uw vertrouwenspersoon",
        "dossier_message_hint": (
            "Uw vertrouwenspersoon krijgt een e-mail dat er een nieuw bericht is. Wat u "
            "schrijft staat niet in die e-mail."
        ),
        "dossier_send": "Verstuur bericht",
        "dossier_cannot_write": "Uw melding is afgesloten. U kunt hier geen bericht meer sturen.",
        "dossier_mails": "E-mails die wij u stuurden",
        "dossier_mails_none": "Wij hebben u nog geen e-mail gestuurd.",
        "dossier_stop": "Stoppen met uw melding",
        "dossier_stop_text": (
            "Wilt u niet verder? Dat mag altijd. Wij doen dan niets meer met uw melding. "
            "Uw vertrouwenspersoon krijgt bericht. U kunt deze pagina daarna nog zien."
        ),
        "dossier_stop_confirm": "Ja, ik wil stoppen met mijn melding",
        "dossier_stop_button": "Stop mijn melding",
        "error_stop_confirm": "{field}: vink dit aan als u echt wilt stoppen.",
        "dossier_sign_out": "Afmelden",
        "dossier_signed_out": "U bent afgemeld.",
        "dossier_done_sent": "Uw bericht is verstuurd.",
        "dossier_done_consent": (
            "U heeft uw ja teruggenomen. Uw vertrouwenspersoon krijgt hier bericht van."
        ),
        "dossier_done_withdrawn": "U bent gestopt met uw melding. Er gebeurt niets meer.",
        "dossier_not_possible": "Dit kan nu niet meer. Kijk hieronder hoe het nu staat.",
        # getting in with reference and code
        "dossier_open_title": "Uw dossier bekijken",
        "dossier_open_intro": (
            "Heeft u anoniem gemeld? Vul dan uw kenmerk en uw code in. U kreeg ze toen u "
            "uw melding verstuurde."
        ),
        "dossier_reference_field": "Uw kenmerk",
        "dossier_reference_hint": "Bijvoorbeeld VP-2026-0042",
        "dossier_code_field": "Uw code",
        "dossier_code_hint": "Bijvoorbeeld ABCD-EF23",
        "dossier_open_submit": "Open mijn dossier",
        "error_code": "{field}: het kenmerk of de code klopt niet. Kijk goed en probeer opnieuw.",
        "dossier_lost_question": "Gaf u uw e-mailadres en bent u de link kwijt?",
        "dossier_lost_link": "Vraag een nieuwe link aan",
        "dossier_too_many": (
            "U heeft vaak geprobeerd uw dossier te openen. Probeer het over een uur opnieuw."
        ),
        # a new link
        "lost_title": "Een nieuwe link aanvragen",
        "lost_intro": (
            "Vul het e-mailadres in dat u bij uw melding gaf. Wij sturen dan een nieuwe link "
            "naar dat adres. Uw oude link werkt daarna niet meer."
        ),
        "lost_anonymous": (
            "Heeft u anoniem gemeld? Dan kunnen wij u geen link sturen. Gebruik dan uw "
            "kenmerk en code."
        ),
        "lost_submit": "Stuur mij een nieuwe link",
        "lost_sent_title": "Kijk in uw e-mail",
        "lost_sent": (
            "Als wij dit adres kennen, krijgt u binnen een paar minuten een e-mail met een "
            "nieuwe link."
        ),
        "lost_spam": "Kijk ook in de map met ongewenste e-mail (spam).",
        "lost_too_many": (
            "U heeft vaak om een nieuwe link gevraagd. Probeer het over een uur opnieuw."
        ),
    },
    "en": {
        # consent
        "consent_title": "We ask for your permission",
        "consent_intro": (
            "Your advisor wants to do something for your report {reference}. That is only "
            "allowed if you agree. So we ask you. It is about this one step."
        ),
        "consent_action": "What is it about?",
        "consent_what": "What will happen?",
        "consent_towards": "Towards whom?",
        "consent_information": "Which information is shared?",
        "consent_free": "You decide. You can always say no. That will not harm you.",
        "consent_answer_by": "If you do not answer before {date}, your answer is no.",
        "consent_question": "Do you give permission for this step?",
        "consent_yes": "Yes",
        "consent_no": "No",
        "consent_given_title": "Thank you. You said yes.",
        "consent_refused_title": "Thank you. You said no.",
        "consent_given_next": (
            "Your advisor will be told. They will now take only this one step, and nothing else."
        ),
        "consent_refused_next": (
            "Your advisor will be told and will not take this step. Together you can look at "
            "what you do want."
        ),
        "consent_can_withdraw": (
            "Do you change your mind later? You can always take back your yes on the page "
            "of your file."
        ),
        "consent_to_dossier": "Go to my file",
        # evaluation
        "eval_title": "How was the help?",
        "eval_intro": (
            "The help with your report has ended. Will you answer three short questions? You "
            "may leave any question empty. We keep your answers without your name and "
            "without your reference."
        ),
        "eval_experience": "How was the help of the advisor?",
        "eval_experience_1": "Very bad",
        "eval_experience_2": "Bad",
        "eval_experience_3": "Not good and not bad",
        "eval_experience_4": "Good",
        "eval_experience_5": "Very good",
        "eval_useful": "Did the help do you any good?",
        "eval_useful_yes": "Yes",
        "eval_useful_partly": "A little",
        "eval_useful_no": "No",
        "eval_themes": "What should the organisation change, so that this does not happen again?",
        "eval_themes_hint": "Choose as many as you like.",
        "eval_advice": "Do you want to say in your own words what the organisation should change?",
        "eval_submit": "Send my answers",
        "eval_done_title": "Thank you",
        "eval_done": (
            "We have saved your answers. Your report is now closed. Your answers help the "
            "organisation to get better."
        ),
        # the dossier page
        "dossier_intro": (
            "Here you see how your report is going. Only you can see this page. Are you "
            "using someone else's computer? Then sign out when you are done."
        ),
        "dossier_summary": "Your report",
        "dossier_reference": "Reference",
        "dossier_organisation": "Organisation",
        "dossier_started": "Reported on",
        "dossier_stage": "How is it going?",
        "dossier_advisor": "Your advisor",
        "dossier_step": "Latest step",
        "dossier_deadline": "The complaints committee answers at the latest on",
        "stage_finding_advisor": "We are looking for an advisor for you.",
        "stage_working": "An advisor is helping you.",
        "stage_your_answer": "We are waiting for your answer about permission.",
        "stage_evaluation": "The help has ended. We are asking you how it went.",
        "stage_closed": "Your report is closed.",
        "stage_referred": "We have referred you. Someone else will help you further.",
        "stage_withdrawn": "You have stopped your report.",
        "stage_not_a_case": "We could not do anything with this message.",
        "dossier_consents": "Permission",
        "dossier_consents_none": "Nothing has been asked of you yet.",
        "status_requested": "Asked on {date}. You have not answered yet.",
        "status_given": "You said yes on {date}.",
        "status_refused": "You said no on {date}.",
        "status_withdrawn": "You first said yes. On {date} you took back your yes.",
        "status_lapsed": "You did not answer. That counts as no.",
        "status_cancelled": "This question no longer applies.",
        "consent_requested_hint": "You answer through the link in the email we sent you.",
        "consent_withdraw": "Take back my yes",
        "consent_withdraw_hint": "Then your advisor may no longer do this.",
        "dossier_conversation": "Messages",
        "dossier_conversation_none": "There are no messages yet.",
        "dossier_from_you": "You wrote on {date}",
        "dossier_from_advisor": "Your advisor wrote on {date}",
        "dossier_message": "Write a message to your advisor",
        "dossier_message_hint": (
            "Your advisor gets an email that there is a new message. What you write is not "
            "in that email."
        ),
        "dossier_send": "Send message",
        "dossier_cannot_write": "Your report is closed. You can no longer send a message here.",
        "dossier_mails": "Emails we sent you",
        "dossier_mails_none": "We have not sent you an email yet.",
        "dossier_stop": "Stop your report",
        "dossier_stop_text": (
            "Do you not want to go on? That is always allowed. We will then do nothing more "
            "with your report. Your advisor will be told. You can still see this page after."
        ),
        "dossier_stop_confirm": "Yes, I want to stop my report",
        "dossier_stop_button": "Stop my report",
        "error_stop_confirm": "{field}: tick this box if you really want to stop.",
        "dossier_sign_out": "Sign out",
        "dossier_signed_out": "You have signed out.",
        "dossier_done_sent": "Your message has been sent.",
        "dossier_done_consent": "You have taken back your yes. Your advisor will be told.",
        "dossier_done_withdrawn": "You have stopped your report. Nothing more will happen.",
        "dossier_not_possible": "This is no longer possible. See below how things are now.",
        # getting in with reference and code
        "dossier_open_title": "See your file",
        "dossier_open_intro": (
            "Did you report anonymously? Then fill in your reference and your code. You got "
            "them when you sent your report."
        ),
        "dossier_reference_field": "Your reference",
        "dossier_reference_hint": "For example VP-2026-0042",
        "dossier_code_field": "Your code",
        "dossier_code_hint": "For example ABCD-EF23",
        "dossier_open_submit": "Open my file",
        "error_code": "{field}: the reference or the code is not right. Check and try again.",
        "dossier_lost_question": "Did you give your email address and lose the link?",
        "dossier_lost_link": "Ask for a new link",
        "dossier_too_many": "You tried to open your file many times. Please try again in an hour.",
        # a new link
        "lost_title": "Ask for a new link",
        "lost_intro": (
            "Fill in the email address you gave with your report. We will send a new link to "
            "that address. Your old link will then stop working."
        ),
        "lost_anonymous": (
            "Did you report anonymously? Then we cannot send you a link. Use your reference "
            "and code instead."
        ),
        "lost_submit": "Send me a new link",
        "lost_sent_title": "Check your email",
        "lost_sent": (
            "If we know this address, you will get an email with a new link within a few minutes."
        ),
        "lost_spam": "Also look in your junk mail (spam) folder.",
        "lost_too_many": "You asked for a new link many times. Please try again in an hour.",
    },
}
