"""Inbox throughput and latency against real Dovecot, PostgreSQL (or SQLite) and SMTP.

    cd /work/main && .venv/bin/python -m benchmarks.inbox [--mails 1000]
        [--database postgresql|sqlite] [--latency-samples 30] [--runs 3] [--json FILE]
        [--profile FILE]

Prints a table, then the same numbers as one JSON line (the last line of stdout, or in
--json FILE). See benchmarks/README.md for what is measured and why.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import platform
import pstats
import signal
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from benchmarks.harness import Bench, bench
from benchmarks.latency import Latency, measure_latency
from benchmarks.mails import Mix, build_mix
from benchmarks.throughput import BaselineRun, OursRun, baseline_once, ours_once
from workflow.crypto import Vault

GOAL = 0.28  # ARCHITECTURE.md, "What we measure against"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.inbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--mails", type=int, default=1000, help="size of the mix (default 1000)")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--latency-samples", type=int, default=30, help="0 skips latency")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; the median is shown")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated mails")
    parser.add_argument("--json", type=Path, help="write the JSON here instead of stdout")
    parser.add_argument(
        "--profile",
        type=Path,
        help="after the timed runs, profile one more processing step (cProfile) "
        "into this file and print its top functions on stderr",
    )
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(b: Bench, args: argparse.Namespace) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)  # the fixed `now` of every processing run
    vault = Vault(b.settings.encryption_keys, b.settings.hash_key)
    mix = build_mix(args.mails, args.seed, vault, now, b.settings.mail_from)
    say(
        f"mix: {len(mix.raws)} mails, {sum(map(len, mix.raws)) / 1e6:.1f} MB, "
        f"{dict(mix.composition)}"
    )
    baselines: list[BaselineRun] = []
    ours: list[OursRun] = []
    for run in range(1, args.runs + 1):
        baselines.append(baseline_once(b, mix.raws))
        ours.append(ours_once(b, mix.raws, now))
        say(
            f"run {run}: baseline {baselines[-1].rate:.0f} mails/s, ours {ours[-1].rate:.0f} "
            f"mails/s (poll {ours[-1].poll_seconds:.2f} s, process "
            f"{ours[-1].process_seconds:.2f} s)"
        )
    latency = measure_latency(b, args.latency_samples, args.seed) if args.latency_samples else None
    if args.profile:
        profile_processing(b, mix, now, args.profile)
    return summarise(b, args, mix, baselines, ours, latency)


def profile_processing(b: Bench, mix: Mix, now: datetime, path: Path) -> None:
    """One more run, untimed, with cProfile on around process_due only."""
    profile = cProfile.Profile()
    ours_once(b, mix.raws, now, profile)
    profile.dump_stats(path)
    say(f"profile of the processing step written to {path}; top by own time:")
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def _median_run(runs: list[OursRun]) -> OursRun:
    return sorted(runs, key=lambda r: r.rate)[len(runs) // 2]


def summarise(
    b: Bench,
    args: argparse.Namespace,
    mix: Mix,
    baselines: list[BaselineRun],
    ours: list[OursRun],
    latency: Latency | None,
) -> dict[str, Any]:
    base_rate = statistics.median(r.rate for r in baselines)
    our_rate = statistics.median(r.rate for r in ours)
    middle = _median_run(ours)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": b.database_kind,
        "mails": len(mix.raws),
        "mix": dict(mix.composition),
        "runs": args.runs,
        "baseline_mails_per_s": round(base_rate, 1),
        "ours_mails_per_s": round(our_rate, 1),
        "ratio": round(our_rate / base_rate, 4),
        "goal_ratio": GOAL,
        "breakdown_s": {
            "poll_store": round(statistics.median(r.poll_seconds for r in ours), 3),
            "process": round(statistics.median(r.process_seconds for r in ours), 3),
        },
        "median_run": {
            "fetched": middle.fetched,
            "stored": middle.stored,
            "outcomes": middle.outcomes,
            "cases": middle.cases,
            "outbox": middle.outbox,
        },
        "outcomes_same_in_every_run": all(r.outcomes == middle.outcomes for r in ours),
        "per_run": {
            "baseline_s": [round(r.seconds, 3) for r in baselines],
            "poll_store_s": [round(r.poll_seconds, 3) for r in ours],
            "process_s": [round(r.process_seconds, 3) for r in ours],
            "ratio": [round(o.rate / b.rate, 4) for b, o in zip(baselines, ours, strict=True)],
        },
        "latency_s": None if latency is None else _latency(latency),
    }


def _latency(latency: Latency) -> dict[str, Any]:
    return {
        "samples": len(latency.samples),
        "ack_p50": round(latency.percentile(0.50), 3),
        "ack_p95": round(latency.percentile(0.95), 3),
        "stored_p50": round(latency.percentile(0.50, "stored"), 3),
        "stored_p95": round(latency.percentile(0.95, "stored"), 3),
    }


def machine() -> dict[str, Any]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = [round(n, 2) for n in os.getloadavg()]  # other work on the machine skews timings
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "load_at_end": load,
    }


def print_table(r: dict[str, Any]) -> None:
    ratio, goal = r["ratio"], r["goal_ratio"]
    print(
        f"inbox benchmark: {r['mails']} mails {r['mix']}, {r['database']}, "
        f"median of {r['runs']} runs; {r['machine']['nproc']} CPUs {r['machine']['cpu']}"
    )
    print(f"{'':34}{'mails/s':>10}{'ratio':>9}")
    print(f"{'baseline (FETCH + email parse)':34}{r['baseline_mails_per_s']:>10.0f}{1:>9.3f}")
    print(
        f"{'ours (poll + process)':34}{r['ours_mails_per_s']:>10.0f}{ratio:>9.3f}"
        f"   goal >= {goal} ({'met' if ratio >= goal else 'NOT met'})"
    )
    b = r["breakdown_s"]
    print(f"  poll: fetch + seal + store {b['poll_store']:>8.2f} s")
    print(f"  process: parse, classify,  {b['process']:>8.2f} s")
    print("           case + outbox")
    m = r["median_run"]
    print(
        f"fetched {m['fetched']}, stored {m['stored']} (same Message-ID stored once); "
        f"cases {m['cases']}"
    )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in m["outcomes"].items()))
    print("outbox:   " + ", ".join(f"{k} {v}" for k, v in m["outbox"].items()))
    if lat := r["latency_s"]:
        print(
            f"latency APPEND -> acknowledgement at SMTP ({lat['samples']} samples): "
            f"p50 {lat['ack_p50']:.3f} s, p95 {lat['ack_p95']:.3f} s"
        )
        print(
            f"  of which APPEND -> stored by the IDLE watcher: p50 {lat['stored_p50']:.3f} s, "
            f"p95 {lat['stored_p95']:.3f} s (Dovecot wakes IDLE about 0.5 s late)"
        )


def _stop_on_sigterm() -> None:
    def interrupt(signum: int, frame: object) -> NoReturn:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _stop_on_sigterm()
    try:
        with bench(args.database) as b:  # every server stops here, also on Ctrl-C
            result = measure(b, args)
    except KeyboardInterrupt:
        say("interrupted; servers stopped")
        return 130
    print_table(result)
    line = json.dumps(result, ensure_ascii=False)
    if args.json:
        args.json.write_text(line + "\n")
    else:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
