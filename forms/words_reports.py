"""The words of the coordinator's reports page, Dutch first and English second.

The report's own words (sections, tables, categories) are in reports.text.
"""

from __future__ import annotations

REPORTS_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "reports_title": "Rapportages",
        "reports_lead": (
            "Kies een organisatie en een periode. De rapportage is anoniem: kleine aantallen "
            "staan er als <5, en er staat geen vrije tekst in."
        ),
        "reports_choose": "Welke rapportage?",
        "reports_org": "Organisatie",
        "reports_all": "Alle organisaties samen",
        "reports_period": "Periode",
        "reports_period_hint": "Een kwartaal of een heel jaar.",
        "reports_show": "Toon de rapportage",
        "reports_bad_period": (
            "Periode: kies een kwartaal, zoals 2026-Q3, of een jaar, zoals 2026."
        ),
        "reports_downloads": "Downloaden",
        "reports_download_pdf": "PDF (om te printen of te versturen)",
        "reports_download_csv": "CSV (voor een spreadsheet)",
        "reports_download_json": "JSON (voor verdere verwerking)",
    },
    "en": {
        "reports_title": "Reports",
        "reports_lead": (
            "Choose an organisation and a period. The report is anonymous: small counts are "
            "shown as <5, and there is no free text in it."
        ),
        "reports_choose": "Which report?",
        "reports_org": "Organisation",
        "reports_all": "All organisations together",
        "reports_period": "Period",
        "reports_period_hint": "A quarter or a whole year.",
        "reports_show": "Show the report",
        "reports_bad_period": "Period: choose a quarter, such as 2026-Q3, or a year, such as 2026.",
        "reports_downloads": "Download",
        "reports_download_pdf": "PDF (to print or send)",
        "reports_download_csv": "CSV (for a spreadsheet)",
        "reports_download_json": "JSON (for further processing)",
    },
}
