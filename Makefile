# One target per habit; each calls run.sh, the same script as the README and CI.
.PHONY: help setup run demo template test test-fast lint types format bench upgrade

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## create .venv and install the project with its dev tools
	./run.sh setup

run:  ## build the demo database if needed and open the dashboard
	./run.sh serve

demo:  ## rebuild the demo database from data/dvk_demo.xlsx
	./run.sh setup && .venv/bin/dvk demo

template:  ## write the empty import template workbook
	./run.sh setup && .venv/bin/dvk template

test:  ## run the whole test suite (browser tests included)
	./run.sh test

test-fast:  ## the inner loop: no browser, no slow tests, stop at the first failure
	./run.sh test-fast

lint:  ## ruff check + format check + mypy
	./run.sh lint

types:  ## mypy over queries/ and dashboard/
	./run.sh types

format:  ## ruff format + autofix
	./run.sh format

upgrade:  ## re-resolve requirements.lock within pyproject's ranges (then run `make test`)
	./run.sh upgrade

bench:  ## the performance benchmark (prints a table, writes benchmarks/results/)
	./run.sh bench
