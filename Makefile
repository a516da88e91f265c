# `make serve` and `make test` each run the full set-up first (a no-op when nothing changed).
.PHONY: setup serve test

setup:
	bash scripts/setup.sh

serve: setup
	.venv/bin/newsqa serve $(SERVE_ARGS)

test: setup
	.venv/bin/python -m pytest $(PYTEST_ARGS)
