# Coffer: `make demo` and `make test` work on a fresh Debian machine with Python, git and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := python3-venv gnome-keyring dbus dbus-x11 tmux

.PHONY: demo test lint typecheck unit bench system-packages venv clean

demo: venv
	$(VENV)/bin/coffer demo --dir $(DEMO_DIR)

test: system-packages venv lint typecheck unit

# Installs what the tests need from Debian's packages, only when something is missing.
system-packages:
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v gnome-keyring-daemon >/dev/null || missing="$$missing gnome-keyring"; \
	command -v dbus-run-session >/dev/null || missing="$$missing dbus"; \
	command -v dbus-launch >/dev/null || missing="$$missing dbus-x11"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check vault importers tui tests benchmarks
	$(VENV)/bin/ruff format --check vault importers tui tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: venv
	$(VENV)/bin/mypy

# The suite runs on a private D-Bus session with an unlocked gnome-keyring, so the keyring tests
# meet a real Secret Service. pytest's exit 5 (no tests collected) fails the run.
unit: venv
	dbus-run-session -- bash tests/with_keyring.sh $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# pycanon (a peer) pins versions that clash with ours: it gets a venv of its own.
PYCANON_VENV := .venv-pycanon

bench: venv
	$(PIP) install -q -e '.[test,bench]'
	@[ -x $(PYCANON_VENV)/bin/python ] || { $(PYTHON) -m venv $(PYCANON_VENV) && \
	  $(PYCANON_VENV)/bin/pip install -q pycanon==1.3.6; } || echo "pycanon could not be installed: its row will be skipped"
	COFFER_PYCANON_PYTHON=$(CURDIR)/$(PYCANON_VENV)/bin/python $(PY) -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
