"""The coordinator's page of anonymised reports: choose organisation and period, read, download.

Only coordinators get it (others get 404), and only for the organisations they coordinate;
with several, also all of them together (seed 004). The page shows the same HTML report as
`vertrouwd report` (reports.html), inside the staff layout; PDF, CSV and JSON are downloads.
Each view and each download is audited (no content: organisation, period, format).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, abort, g, render_template, request
from sqlalchemy.orm import Session

from forms import services
from forms.i18n import words
from forms.staff_session import audit_now, role_required, signed_in
from reports import FORMATS, MEDIA_TYPES, file_name, render
from reports.html import render_body
from reports.text import period_label, title
from workflow import reports as figures
from workflow.models import Advisor, Organisation

ALL_TOGETHER = "all"
DOWNLOADS = tuple(form for form in FORMATS if form != "html")  # html is the page itself
coordinator_only = role_required("coordinator")


def install(app: Flask) -> None:
    """Add the routes."""
    app.add_url_rule("/medewerkers/rapportages", "staff_reports", coordinator_only(reports_page))
    app.add_url_rule(
        "/medewerkers/rapportages/download", "staff_report_download", coordinator_only(download)
    )


@dataclass(frozen=True)
class Choice:
    """What the coordinator asked for: which organisations, which period (None: invalid)."""

    org: str
    organisations: list[Organisation]
    period: figures.Period | None


def _choice(staff: Advisor) -> Choice:
    """The organisation(s) and period asked for; 404 for one they do not coordinate."""
    coordinated = sorted(staff.organisations, key=lambda o: (o.name.lower(), o.slug))
    if not coordinated:
        abort(404)
    org = request.args.get("org", "").strip().lower() or coordinated[0].slug
    if org == ALL_TOGETHER and len(coordinated) > 1:
        chosen = coordinated
    else:
        chosen = [o for o in coordinated if o.slug == org]
    if not chosen:
        abort(404)
    today = services().clock().date()
    this_quarter = figures.Period(today.year, (today.month - 1) // 3 + 1)
    text = request.args.get("period", "").strip() or str(this_quarter)
    try:
        period: figures.Period | None = figures.Period.parse(text)
    except figures.BadPeriod:
        period = None
    return Choice(org, chosen, period)


def _report(
    db: Session, organisations: list[Organisation], period: figures.Period
) -> figures.Report:
    tallies = [figures.tally(db, o, period) for o in organisations]
    return figures.publish(tallies, period, services().clock().date())


def reports_page() -> tuple[str, int]:
    with services().database.session() as db:
        staff = signed_in(db)
        choice = _choice(staff)
        coordinated = sorted(staff.organisations, key=lambda o: (o.name.lower(), o.slug))
        periods = figures.periods_with_data(
            db, [o.id for o in coordinated], services().clock().date()
        )
        report = None
        if choice.period is not None:
            report = _report(db, choice.organisations, choice.period)
    language = g.language
    if choice.period is not None and choice.period not in periods:
        periods.append(choice.period)  # asked for by address: offered too, so it shows as chosen
    page = render_template(
        "staff_reports.html", t=words(language), choice=choice,
        organisations=_organisation_options(coordinated, language),
        periods=[(str(p), period_label(p, language)) for p in periods],
        body=render_body(report, language, level=3) if report else None,
        report_title=title(report, language) if report else None, downloads=DOWNLOADS,
    )  # fmt: skip
    shown = str(choice.period) if choice.period is not None else "invalid period"
    audit_now(staff, "view_report", detail=f"{choice.org} {shown}")  # never what was typed
    return page, 200 if report is not None else 400


def _organisation_options(coordinated: list[Organisation], language: str) -> list[tuple[str, str]]:
    options = [(o.slug, o.name) for o in coordinated]
    if len(coordinated) > 1:
        options.append((ALL_TOGETHER, words(language)["reports_all"]))
    return options


def download() -> Response:
    form = request.args.get("format", "")
    with services().database.session() as db:
        staff = signed_in(db)
        choice = _choice(staff)
        if form not in DOWNLOADS:
            abort(404)
        if choice.period is None:
            abort(400)
        report = _report(db, choice.organisations, choice.period)
    made = render(report, form, g.language)
    audit_now(staff, "export_report", detail=f"{choice.org} {choice.period} {form}")
    name = file_name([o.slug for o in choice.organisations], str(choice.period), form)
    return Response(
        made,
        mimetype=MEDIA_TYPES[form],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
