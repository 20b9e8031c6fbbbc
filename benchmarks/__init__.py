"""Benchmarks against real servers; see benchmarks/README.md."""
