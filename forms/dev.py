"""Development only: caught outgoing mail, and a page that writes to the embedded inbox."""

from __future__ import annotations

import email
import email.policy
import imaplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from forms import services
from forms.i18n import words


def install(app: Flask) -> None:
    app.add_url_rule("/dev/mail", "dev_mail", mailbox)
    app.add_url_rule("/dev/mail/<name>", "dev_mail_one", one_mail)
    if app.extensions["vertrouwd"].settings.has_embedded_mailbox:
        app.add_url_rule("/dev/send", "dev_send", send, methods=["GET", "POST"])


class SendForm(FlaskForm):
    sender = StringField("From", default="client@example.org", validators=[InputRequired()])
    subject = StringField("Subject", default="Hulp nodig", validators=[InputRequired()])
    body = TextAreaField(
        "Text",
        default="Mijn begeleider maakt grappen over mijn lichaam. Ik wil met een vrouw praten.",
        validators=[InputRequired()],
    )


def send() -> str:
    """Put a mail into the embedded inbox as if a client wrote to the shared address."""
    form = SendForm()
    sent = False
    if form.validate_on_submit():
        _append(str(form.sender.data), str(form.subject.data), str(form.body.data))
        sent = True
    return render_template("dev_send.html", t=words("en"), form=form, sent=sent)


def _append(sender: str, subject: str, body: str) -> None:
    settings = services().settings
    message = EmailMessage()
    message["From"] = sender.replace("\n", " ").replace("\r", " ")
    message["To"] = settings.mail_from
    message["Subject"] = subject.replace("\n", " ").replace("\r", " ")
    message["Message-ID"] = make_msgid(domain="dev.localhost")
    message["Date"] = formatdate(localtime=False)
    message.set_content(body)
    with imaplib.IMAP4(settings.imap_host, settings.imap_port) as imap:
        imap.login(settings.imap_user, settings.imap_password)
        imap.append(settings.imap_folder, "", None, message.as_bytes(policy=email.policy.SMTP))


def _folder() -> Path:
    return Path(services().settings.mail_catcher_folder)


def _summary(path: Path) -> dict[str, Any]:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return {
        "name": path.name,
        "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
    }


def mailbox() -> str:
    folder = _folder()
    files = sorted(folder.glob("*.eml"), reverse=True) if folder.is_dir() else []
    mails = [_summary(p) for p in files[:200]]
    return render_template("dev_mail.html", t=words("en"), mails=mails)


def one_mail(name: str) -> str:
    path = _folder() / name
    if "/" in name or not name.endswith(".eml") or not path.is_file():
        abort(404)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    return render_template(
        "dev_mail_one.html",
        t=words("en"),
        mail=_summary(path),
        headers=list(message.items()),
        text=text,
    )
