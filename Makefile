# hostpact: `make run` serves the platform, `make test` runs every test. See README.md.

PYTHON   ?= python3.11
VENV     := .venv
PY       := $(VENV)/bin/python
PIP      := $(VENV)/bin/pip
HOSTPACT := $(VENV)/bin/hostpact
DATA_DIR := $(or $(HOSTPACT_DATA_DIR),var)
CHROMIUM ?= $(or $(CHROMIUM_PATH),/usr/lib/chromium/chromium)

.PHONY: run test bench lint chromium venv

venv: $(VENV)/.stamp-base

$(PY):
	$(PYTHON) -m venv $(VENV)

# A stamp per lock file: the lock is installed again only when it (or pyproject.toml) changes.
$(VENV)/.stamp-base: requirements/base.txt pyproject.toml | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.stamp-dev: requirements/dev.txt pyproject.toml | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	$(PIP) install --quiet --no-deps -e .
	touch $@

run: $(VENV)/.stamp-base
	@mkdir -p "$(DATA_DIR)" && chmod 700 "$(DATA_DIR)"
	$(HOSTPACT) migrate --noinput
	@if [ "$${HOSTPACT_ENV:-development}" != production ] && [ ! -f "$(DATA_DIR)/.demo-loaded" ]; then \
		$(HOSTPACT) bootstrap_demo && touch "$(DATA_DIR)/.demo-loaded"; fi
	exec $(HOSTPACT) serve

# Debian's packages the tests drive: Chromium for the browser tests (Playwright cannot download
# browsers here), the whois client and GnuPG (WHOIS and escrow are tested with the real tools).
TEST_TOOLS := $(CHROMIUM):chromium /usr/bin/whois:whois /usr/bin/gpg:gnupg
chromium:
	@missing=""; for pair in $(TEST_TOOLS); do \
		[ -x "$${pair%%:*}" ] || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "make test: missing Debian packages:$$missing; as root run:" >&2; \
			echo "  apt-get install --no-install-recommends$$missing  (or set CHROMIUM_PATH)" >&2; \
			exit 1; \
		fi; \
	fi

# pytest exits 5 when it collects no test: like any other non-zero code, that fails the target.
# The layer contracts (pyproject.toml) are checked first: a layer importing one above it fails.
test: $(VENV)/.stamp-dev chromium
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(VENV)/.stamp-dev
	$(PY) bench/run.py

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check
	$(VENV)/bin/lint-imports
