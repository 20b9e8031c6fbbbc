"""Development only: the embedded mail catcher's mails, listed so a newcomer sees them arrive."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template

from forms import services
from forms.i18n import words


def install(app: Flask) -> None:
    app.add_url_rule("/dev/mail", "dev_mail", mailbox)
    app.add_url_rule("/dev/mail/<name>", "dev_mail_one", one_mail)


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
