"""The admin's pages of the audit log: a list newest first, a page at a time, and a CSV export.

Only an admin reaches them (anyone else signed in gets 404), and they show no content of a
case, only who did what. Looking changes nothing but the log itself: each view and each
export is audited, with audit_now, as the case views are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from flask import Flask, Response, request, stream_with_context
from flask_wtf import FlaskForm

from forms import services
from forms.admin_forms import new_form
from forms.staff_admin import AMSTERDAM, BASE, Page, render
from forms.staff_session import audit_now, role_required, signed_in
from workflow import access
from workflow.models import Advisor

PAGE_SIZE = 100  # audit entries per page
REFERENCE = re.compile(r"VP-\d{4}-\d{4}")


def install(app: Flask) -> None:
    """Add the routes; they are for admins only."""
    for path, endpoint, view, method in ROUTES:
        app.add_url_rule(BASE + path, endpoint, role_required("admin")(view), methods=[method])


def _filters() -> tuple[FlaskForm, dict[str, Any]]:
    """The filter form (GET, no token: it changes nothing) and the reader's filters."""
    form = new_form("audit", formdata=request.args, meta={"csrf": False})
    reference = (form.reference.data or "").strip().upper() or None
    email = (form.staff.data or "").strip().lower() or None
    return form, {"reference": reference, "staff_email": email}


def _audited(staff: Advisor, action: str, filters: dict[str, Any]) -> None:
    """What was looked at: the case it was about (if one was named) and which filters."""
    reference = filters["reference"]
    used = [name for name, value in filters.items() if value is not None]
    is_case = reference is not None and REFERENCE.fullmatch(reference) is not None
    audit_now(staff, action, reference if is_case else None,
              detail=f"filters: {', '.join(used)}" if used else "")  # fmt: skip


def audit_page() -> Page:
    before = request.args.get("before", type=int)
    with services().database.session() as db:
        staff = signed_in(db)  # first: the form speaks their language
        form, filters = _filters()
        if not form.validate():
            return _audit_page(form, [], filters), 400
        found = list(access.audit_trail(db, **filters, before=before, newest_first=True,
                                        limit=PAGE_SIZE + 1))  # fmt: skip
        rows = [(entry.id, _local(entry.at), access.audit_row(entry, email))
                for entry, email in found[:PAGE_SIZE]]  # fmt: skip
        older = rows[-1][0] if len(found) > PAGE_SIZE else None
        page = _audit_page(form, rows, filters, older=older, is_first=before is None)
    _audited(staff, "view_audit", filters)
    return page


def _audit_page(form: FlaskForm, rows: list[Any], filters: dict[str, Any],
                older: int | None = None, is_first: bool = True) -> str:  # fmt: skip
    return render("staff_admin_audit.html", form=form, rows=rows, filters=filters,
                  older=older, is_first=is_first)  # fmt: skip


def _local(at: datetime) -> str:
    return f"{at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M:%S}"


def audit_csv() -> Page:
    """The whole log under the filters, oldest first, as the command line's export has it."""
    with services().database.session() as db:
        staff = signed_in(db)
        form, filters = _filters()
        if not form.validate():
            return _audit_page(form, [], filters), 400
    _audited(staff, "export_audit", filters)  # before the first byte: a broken download counts
    database = services().database

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=access.AUDIT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        with database.session() as db:
            for row in access.rows_of(access.audit_trail(db, **filters)):
                writer.writerow({k: access.spreadsheet_safe(v) for k, v in row.items()})
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    name = f"logboek-{services().clock().astimezone(AMSTERDAM):%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


ROUTES: tuple[tuple[str, str, Callable[..., Page], str], ...] = (
    ("/logboek", "staff_audit", audit_page, "GET"),
    ("/logboek.csv", "staff_audit_csv", audit_csv, "GET"),
)
