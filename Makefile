# `make serve` and `make test` each run the full set-up first (a no-op when nothing changed); `make test`
# also installs the browser its page tests drive, and lints (ruff: pyflakes and pycodestyle) before testing.
.PHONY: setup browser serve test

setup:
	bash scripts/setup.sh

browser:
	bash scripts/browser.sh

serve: setup
	.venv/bin/newsqa serve $(SERVE_ARGS)

test: setup browser
	.venv/bin/ruff check .
	.venv/bin/python -m pytest $(PYTEST_ARGS)
