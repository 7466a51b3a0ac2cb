# Benchmarks (see docs/performance.md). `make bench` sets up bench/.venv and runs every case;
# `make bench CASES="validate_big" RUNS=3` runs some of them.
RUNS ?= 5
CASES ?=

.PHONY: bench bench-setup

bench-setup:
	bench/setup

bench: bench-setup
	bench/.venv/bin/python -m bench $(CASES) --runs $(RUNS)
