"""The client's rights on their dossier: a copy of their data (JSON, PDF), and asking to erase it.

Decision: the downloads are POST forms with a CSRF token, not links. A download is recorded
on the case's timeline ("data_exported": who asked for a copy is part of the case), and a
GET never changes anything (mail scanners, prefetching); a GET of a download address just
leads back to the dossier. Asking to erase has its own page that explains what erasing
means, with a tick to confirm: a GET shows it, a POST asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import Flask, flash, g, make_response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms.validators import InputRequired

from forms import services
from forms.client_pages import case_of_session
from forms.i18n import words
from mailtemplates import gender_wish_label, kind_label, long_date, long_datetime
from reports.dossier_pdf import Document, Entry, Section, can_show, render_pdf
from workflow import rights
from workflow.cases import record
from workflow.desk import Desk, NotAllowed
from workflow.models import DataRequest
from workflow.rights_export import export_of
from workflow.vocabulary import PATH_STEPS

FORMATS = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


def install(app: Flask) -> None:
    """Add the routes, and `erasure_of` for the dossier's data section."""
    app.add_url_rule("/dossier/gegevens.<any(json, pdf):fmt>", "dossier_export", export,
                     methods=["GET", "POST"])  # fmt: skip
    app.add_url_rule("/dossier/wissen", "dossier_erase", erase_page, methods=["GET", "POST"])
    app.add_template_global(erasure_of)


@contextmanager
def _desk() -> Iterator[Desk]:
    """One transaction; it rolls back unless the view commits."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        yield Desk(uow, svc.postman, svc.clock())


def _to_dossier() -> Response:
    return redirect(url_for("dossier_page", lang=g.language), 303)


def _day(value: datetime) -> str:
    return long_date(value, g.language)


# --- the copy ---------------------------------------------------------------------------------


def export(fmt: str) -> Response:
    """POST: the client's data as a file, and a line on the timeline; GET: back to the dossier."""
    if request.method != "POST":
        return _to_dossier()
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None:
            return _to_dossier()
        data = export_of(desk, case, g.language)
        if fmt == "pdf":
            body = render_pdf(document_of(data, g.language))
        else:
            body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        record(desk.session, case, "data_exported", desk.now, actor="client", detail=fmt)
        reference = case.reference
        desk.uow.commit()
    response = make_response(body)
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="dossier-{reference}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- asking to erase --------------------------------------------------------------------------


@cache
def erase_form(language: str) -> type[FlaskForm]:
    t = words(language)
    label = t["rights_erase_confirm"]

    class EraseForm(FlaskForm):
        confirm = BooleanField(
            label, validators=[InputRequired(t["error_erase_confirm"].format(field=label))]
        )

    return EraseForm


def erase_page() -> Response:
    t = words(g.language)
    form: Any = erase_form(g.language)()
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None:
            return _to_dossier()
        asked = rights.open_request_of(desk.session, case)
        if request.method != "POST" or asked is not None or not form.validate_on_submit():
            status = 400 if form.errors else 200
            errors = [(field.id, message) for field in form for message in field.errors
                      if field.name != "csrf_token"]  # fmt: skip
            page = render_template("client_rights_erase.html", t=t, day=_day, form=form,
                                   asked=asked, errors=errors)  # fmt: skip
            return make_response(page, status)
        try:
            rights.ask_erasure(desk, case)
        except NotAllowed:
            flash("dossier_not_possible")
            return _to_dossier()
        reference = case.reference
        desk.uow.commit()
    services().wake_delivery_for(reference)
    flash("rights_erase_done")
    return _to_dossier()


@dataclass(frozen=True)
class ErasureShown:
    """The latest request of a case, as the dossier shows it."""

    status: str
    requested_at: datetime
    due_at: datetime
    settled_at: datetime | None
    reason: str | None


def erasure_of(reference: str) -> ErasureShown | None:
    """For the dossier page (which shows a case this session may see): its latest request."""
    svc = services()
    with svc.database.session() as db:
        found = db.scalars(
            select(DataRequest).where(DataRequest.case_reference == reference,
                                      DataRequest.case_id.is_not(None))
            .order_by(DataRequest.id.desc())
        ).first()  # fmt: skip
        if found is None:
            return None
        reason = rights.reason_of(svc.database.vault, found)
        return ErasureShown(found.status, found.requested_at, found.due_at, found.settled_at,
                            reason)  # fmt: skip


# --- the copy in words (the PDF) ---------------------------------------------------------------


def document_of(data: dict[str, Any], language: str) -> Document:
    """The export in the client's language, as the sections of a readable document."""
    t, case = words(language), data["case"]
    intro = [t["pdf_intro"].format(date=_on(data["made_at"], language))]
    if not all(can_show(text) for text in _strings(data)):
        intro.append(t["pdf_unknown_characters"])
    sections = (
        Section(t["pdf_you"], facts=_you(t, data["you"])),
        Section(t["dossier_summary"], facts=_case(t, case, language)),
        *_counterpart(t, data["person_it_is_about"]),
        _messages(t, data["messages"], language),
        _mails(t, data["mails_to_you"], language),
        _consents(t, data["consents"], language),
        Section(t["pdf_files"], paragraphs=_files(t, data["files_you_sent"], language)),
        Section(t["pdf_requests"], paragraphs=_requests(t, data["requests"], language)),
        Section(t["pdf_evaluation"], paragraphs=(data["evaluation"]["note"],)),
    )  # fmt: skip
    return Document(t["pdf_title"].format(reference=case["reference"]), language, tuple(intro),
                    sections, t["pdf_page"])  # fmt: skip


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _on(iso: str, language: str) -> str:
    return long_date(datetime.fromisoformat(iso), language)


def _at(iso: str, language: str) -> str:
    return long_datetime(datetime.fromisoformat(iso), language)


def _none(items: list[Any], said: str) -> tuple[str, ...]:
    return () if items else (said,)


def _you(t: dict[str, str], you: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    given = t["pdf_not_given"]
    preference = you["contact_preference"]
    facts = [] if you["is_anonymous"] else [(t["pdf_name"], you["name"] or given)]
    facts += [(t["pdf_email"], you["email"] or given), (t["pdf_phone"], you["phone"] or given)]
    if preference:
        facts.append((t["pdf_preference"], t.get(f"pdf_preference_{preference}", preference)))
    facts.append((t["pdf_anonymous"], t["pdf_yes" if you["is_anonymous"] else "pdf_no"]))
    return tuple(facts)


def _case(t: dict[str, str], case: dict[str, Any], language: str) -> tuple[tuple[str, str], ...]:
    kind = kind_label(case["kind"], language)
    facts = [
        (t["dossier_reference"], case["reference"]),
        (t["dossier_organisation"], case["organisation"]),
        (t["kind"], kind[:1].upper() + kind[1:]),
        (t["pdf_wish"], gender_wish_label(case["wish"], language)),
        (t["pdf_language"], t.get(f"pdf_language_{case['language']}", case["language"])),
        (t["pdf_channel"], t.get(f"pdf_channel_{case['channel']}", case["channel"])),
        (t["dossier_started"], _on(case["reported_at"], language)),
        (t["dossier_stage"], t[f"stage_{case['stage']}"]),
    ]
    if case["advisor"]:
        facts.append((t["dossier_advisor"], case["advisor"]))
    if case["step"] in PATH_STEPS:
        facts.append((t["dossier_step"], PATH_STEPS[case["step"]].label(language)))
    for key, label in (
        ("first_contact_at", "pdf_first_contact"),
        ("complaint_filed_at", "pdf_complaint_filed"),
        ("complaint_deadline_at", "dossier_deadline"),
        ("closed_at", "pdf_closed"),
    ):
        if case[key]:
            facts.append((t[label], _on(case[key], language)))
    return tuple(facts)  # fmt: skip


def _counterpart(t: dict[str, str], about: dict[str, Any] | None) -> tuple[Section, ...]:
    if about is None:
        return ()
    given = t["pdf_not_given"]
    return (Section(t["pdf_counterpart"], facts=(
        (t["pdf_counterpart_name"], about["name"] or given),
        (t["pdf_counterpart_role"], about["role"] or given))),)  # fmt: skip


def _messages(t: dict[str, str], messages: list[dict[str, Any]], language: str) -> Section:
    entries = tuple(
        Entry(t["dossier_from_you" if m["from"] == "you" else "dossier_from_advisor"]
              .format(date=_at(m["at"], language)), m["text"]) for m in messages
    )  # fmt: skip
    return Section(t["dossier_conversation"], entries=entries,
                   paragraphs=_none(messages, t["dossier_conversation_none"]))  # fmt: skip


def _mails(t: dict[str, str], mails: list[dict[str, Any]], language: str) -> Section:
    entries = tuple(Entry(f"{_at(m['at'], language)}: {m['subject']}", m["text"]) for m in mails)
    return Section(t["dossier_mails"], entries=entries,
                   paragraphs=_none(mails, t["dossier_mails_none"]))  # fmt: skip


def _files(t: dict[str, str], files: list[dict[str, Any]], language: str) -> tuple[str, ...]:
    said = tuple(
        t["pdf_file"].format(name=f["name"], size=max(1, round(f["size"] / 1024)),
                             date=_on(f["received_at"], language))
        for f in files
    )  # fmt: skip
    return said or (t["pdf_files_none"],)


def _consents(t: dict[str, str], consents: list[dict[str, Any]], language: str) -> Section:
    entries = []
    for c in consents:
        at = c["withdrawn_at"] if c["status"] == "withdrawn" else c["answered_at"] or c["asked_at"]
        status = t[f"status_{c['status']}"].format(date=_on(at, language))
        entries.append(Entry(c["about"][:1].upper() + c["about"][1:], status, facts=(
            (t["consent_what"], c["what"]), (t["consent_towards"], c["towards"]),
            (t["consent_information"], c["information"]))))  # fmt: skip
    return Section(t["dossier_consents"], entries=tuple(entries),
                   paragraphs=_none(consents, t["dossier_consents_none"]))  # fmt: skip


def _requests(t: dict[str, str], requests: list[dict[str, Any]], language: str) -> tuple[str, ...]:
    said: list[str] = []
    for r in requests:
        dates = {"asked": _on(r["asked_at"], language), "due": _on(r["due_at"], language),
                 "date": _on(r["settled_at"], language) if r["settled_at"] else ""}  # fmt: skip
        said.append(t[f"pdf_request_{r['status']}"].format(**dates))
        if r["reason"]:
            said.append(r["reason"])
    return tuple(said) or (t["pdf_requests_none"],)
