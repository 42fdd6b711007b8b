"""Benchmarks: they print numbers and assert nothing (`make bench`, `make bench-nlu`)."""
