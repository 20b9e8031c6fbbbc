# ruff: noqa: F811  (the fixtures imported from tests.test_cli are used as parameters)
"""From the form to a closed evaluation, driven only by links in mails and `vertrouwd tick`.

A real `vertrouwd web` process, a real SMTP server (the sink) and the command line: every
step is a link taken from a mail that arrived over SMTP, opened with GET (which must change
nothing) and answered with POST, like a person in a mail client would. The advisor's work
link leads to the staff sign-in first (her password set with the command line), and on to
the signed-in case page, where she works the case.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from tests.http_client import Browser, Page, hidden_inputs, reference_in
from tests.test_cli import (  # noqa: F401  (fixtures)
    CLIENT_EMAIL,
    Deployment,
    deployment,
    versa_folder,
    versa_template,
)
from tests.test_cli_staff import PASSWORD, run_with_stdin

ADVISOR = "anna@example.org"
LINK = re.compile(r"https?://\S+?/(?:taak|werk|toestemming|evaluatie)/[\w-]+(?:/\w+)?")


def mails_to(deployment: Deployment, recipient: str) -> list[EmailMessage]:
    return [m.message for m in deployment.sink.messages if recipient in m.rcpt_tos]


def link_in(message: EmailMessage, part: str) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    links = [link for link in LINK.findall(body.get_content()) if f"/{part}" in link]
    assert links, f"no /{part} link in {message['Subject']}"
    return links[0]


def last_mail(deployment: Deployment, recipient: str, subject_has: str = "") -> EmailMessage:
    deployment.cli("outbox", "flush")
    found = [m for m in mails_to(deployment, recipient) if subject_has in str(m["Subject"])]
    assert found, f"no mail to {recipient} about {subject_has!r}"
    return found[-1]


def state(deployment: Deployment, reference: str) -> str:
    return str(deployment.cli_json("case", reference)["state"])


def post_form(browser: Browser, url: str, page: Page, prefix: str = "", **fields: str) -> Page:
    hidden = hidden_inputs(page.text)
    token_name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    prefixed = {f"{prefix}-{k}" if prefix else k: v for k, v in fields.items()}
    answer = browser.post(url, {token_name: hidden[token_name], **prefixed})
    assert answer.status == 200, answer.text[:1500]
    return answer


def give_password(deployment: Deployment, email: str, name: str, gender: str) -> None:
    """`vertrouwd advisor add --password-stdin` for someone who is there: sets the password."""
    args = ["advisor", "add", "--org", "versa", "--name", name, "--email", email,
            "--gender", gender, "--password-stdin"]  # fmt: skip
    done = run_with_stdin(args, deployment.folder, PASSWORD + "\n", deployment.env)
    assert done.returncode == 0 and f"password set for {email}" in done.stdout, done.stderr


def sign_in(browser: Browser, base: str, page: Page, email: str) -> Page:
    """Sign in on the sign-in page a staff page sent the browser to; back where it was sent."""
    return post_form(browser, f"{base}/medewerkers/inloggen", page, email=email,
                     password=PASSWORD, next=hidden_inputs(page.text)["next"])  # fmt: skip


def test_a_case_goes_from_the_form_to_a_closed_evaluation_by_mail_links_and_tick(
    deployment: Deployment,
) -> None:
    give_password(deployment, ADVISOR, "Anna", "female")
    client, advisor = Browser(), Browser()
    reference = reference_in(deployment.submit(client))

    # The advisor accepts by the link in the assignment mail; opening it changes nothing.
    accept_url = link_in(last_mail(deployment, ADVISOR, reference), "taak")
    shown = advisor.get(accept_url)
    assert shown.status == 200 and state(deployment, reference) == "assigned"
    post_form(advisor, accept_url, shown)
    assert state(deployment, reference) == "accepted"

    # The work link from the next mail: first the sign-in, then the case page, where the
    # advisor writes to the client.
    work_url = link_in(last_mail(deployment, ADVISOR), "werk")
    signing_in = advisor.get(work_url)
    assert signing_in.status == 200 and CLIENT_EMAIL not in signing_in.text
    assert hidden_inputs(signing_in.text)["next"] == f"/medewerkers/zaken/{reference}"
    base = deployment.url
    work = sign_in(advisor, base, signing_in, ADVISOR)
    assert reference in work.text and CLIENT_EMAIL in work.text
    case_url = f"{base}/medewerkers/zaken/{reference}"
    work = post_form(advisor, f"{case_url}/write", work, "write",
                     text="Beste cliënt, ik bel u morgen om 10 uur.")  # fmt: skip
    relayed = last_mail(deployment, CLIENT_EMAIL)
    assert "ik bel u morgen" in relayed.get_body(("plain",)).get_content()
    assert ADVISOR not in relayed.as_string()
    assert state(deployment, reference) == "in_progress"

    # Acting for the client is refused until the client says yes on the consent page.
    work = post_form(advisor, f"{case_url}/on_behalf", work, "on_behalf",
                     action="contact_manager")  # fmt: skip
    assert "acted_on_behalf" not in _events(deployment, reference)
    work = post_form(advisor, f"{case_url}/ask_consent", work, "ask_consent",
                     action="contact_manager", what="Ik bel uw teamleider namens u.",
                     towards="Uw teamleider",
                     information="Uw naam en wat er gebeurde.")  # fmt: skip
    consent_url = link_in(last_mail(deployment, CLIENT_EMAIL), "toestemming")
    question = client.get(consent_url)
    assert "Ik bel uw teamleider namens u." in question.text
    assert state(deployment, reference) == "consent_pending"
    post_form(client, consent_url, question, answer="yes")
    assert state(deployment, reference) == "in_progress"
    work = advisor.get(case_url)
    work = post_form(advisor, f"{case_url}/on_behalf", work, "on_behalf",
                     action="contact_manager")  # fmt: skip
    work = post_form(advisor, f"{case_url}/step", work, "step", step="talked_with_manager",
                     on_behalf="y")  # fmt: skip

    # Closing sends the evaluation; a week later `tick` reminds; the client answers.
    post_form(advisor, f"{case_url}/close", work, "close", outcome="resolved",
              support_form="mediation", reason="unwanted_conduct")  # fmt: skip
    assert state(deployment, reference) == "closing"
    first = last_mail(deployment, CLIENT_EMAIL)
    assert link_in(first, "evaluatie")
    week_later = (datetime.now(UTC) + timedelta(days=7, hours=1)).isoformat()
    assert "evaluation_reminder: 1" in deployment.cli("tick", "--now", week_later)
    reminder = mails_to(deployment, CLIENT_EMAIL)[-1]
    assert reminder is not first
    evaluation_url = link_in(reminder, "evaluatie")
    form = client.get(evaluation_url)
    assert form.status == 200 and state(deployment, reference) == "closing"
    post_form(client, evaluation_url, form, experience="4", useful="yes",
              themes="listen_better", advice="Luister eerder naar cliënten.")  # fmt: skip

    case = deployment.cli_json("case", reference)
    assert case["state"] == "closed" and case["evaluation"] == "answered"
    assert (case["outcome"], case["path_step"]) == ("resolved", "talked_with_manager")
    events = [entry["event"] for entry in case["timeline"]]
    for step in ("assign", "accept", "advisor_wrote", "start_work", "ask_consent",
                 "consent_given", "acted_on_behalf", "step_recorded", "begin_closing",
                 "evaluation_sent", "evaluation_reminded", "close"):  # fmt: skip
        assert step in events, f"{step} missing from {events}"
    assert "Luister eerder" not in str(case)  # the evaluation is not part of the case


def _events(deployment: Deployment, reference: str) -> list[str]:
    return [entry["event"] for entry in deployment.cli_json("case", reference)["timeline"]]
