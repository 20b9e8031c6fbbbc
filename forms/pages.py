"""Small pages: health and errors."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, render_template
from werkzeug.exceptions import HTTPException

from forms import services
from forms.i18n import words
from workflow.db import check_connection


def install(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz)
    app.register_error_handler(404, not_found)
    app.register_error_handler(429, too_many)


def healthz() -> Any:
    try:
        check_connection(services().database.engine)
    except Exception:  # any database failure means: not healthy
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def not_found(error: HTTPException) -> tuple[str, int]:
    t = words(g.get("language", "nl"))
    return render_template(
        "message.html", t=t, title=t["not_found_title"], text=t["not_found"]
    ), 404


def too_many(error: HTTPException) -> tuple[str, int]:
    t = words(g.get("language", "nl"))
    return render_template("message.html", t=t, title=t["too_many_title"], text=t["too_many"]), 429
