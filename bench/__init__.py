"""Benchmarks that print figures; never run by CI. See bench/README.md."""
