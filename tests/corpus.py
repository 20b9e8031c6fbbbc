"""Where the shared real-world mail corpus lives; its absence is a loud failure, not a skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def corpus_dir() -> Path:
    """`VERTROUWD_CORPUS`, else `../shared/corpus` beside the checkout, else /work/shared/corpus."""
    candidates = [
        Path(os.environ.get("VERTROUWD_CORPUS", "")),
        Path(__file__).resolve().parents[2] / "shared" / "corpus",
        Path("/work/shared/corpus"),
    ]
    for candidate in candidates:
        if str(candidate) not in {"", "."} and (candidate / "index.tsv").is_file():
            return candidate
    pytest.fail("the mail corpus is missing: set VERTROUWD_CORPUS to the shared/corpus folder")


def corpus_files() -> list[Path]:
    root = corpus_dir()
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in {".md", ".tsv"})
