"""Benchmarks run by `make bench`: one `name: value unit` line per figure."""
