"""Response headers every page gets: no framing, no sniffing, no referrer, no caching of secrets."""

from __future__ import annotations

from flask import Flask, Response

from workflow.settings import Settings

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def install(app: Flask, settings: Settings) -> None:
    is_https = settings.base_url.startswith("https://")

    @app.after_request
    def secure_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # Secret links live in URLs: never leak them to another site.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        if is_https:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
