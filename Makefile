# `make serve` and `make test` each run the full set-up first (a no-op when nothing changed).
.PHONY: setup serve ask test

setup:
	bash scripts/setup.sh

serve: setup
	.venv/bin/newsqa ask "How many people were killed in the clashes in Guayaquil?"

test: setup
	.venv/bin/python -m pytest $(PYTEST_ARGS)
