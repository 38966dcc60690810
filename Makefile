# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run system-check bundle test bench lint format install lock migration clean screenshots

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

## Start the kiosk (fullscreen) on the local SQLite store; `make run ARGS=--windowed` to try it out.
## The system libraries are checked first, before anything is installed.
run: system-check $(VENV)/.installed
	$(PY) main.py $(ARGS)

## The system libraries Qt and the kiosk need: prints the apt-get line (as root on Debian: installs).
system-check:
	$(PYTHON) kiosk/system_check.py --install

## A one-folder application that runs without Python: dist/klimatavtal/ (README: a volunteer's laptop).
bundle: $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt pyinstaller
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller kiosk/bundle/klimatavtal.spec

## The whole test suite (GUI tests offscreen).
test: $(VENV)/.installed
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest $(ARGS)

## Benchmarks: figures and ratios against a bare baseline, printed.
bench: $(VENV)/.installed
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m tests.bench $(ARGS)

## Screenshots of every screen of the pledge flow, from the real app under Xvfb.
screenshots: $(VENV)/.installed
	xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb $(PY) -m tests.screenshots docs/screenshots

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Desktop entry + icon for this checkout; `make install AUTOSTART=1` also starts it at login.
AUTOSTART ?=
install: $(VENV)/.installed
	$(abspath $(PY)) -m kiosk.desktop $(if $(filter 1 yes true,$(AUTOSTART)),--autostart)

## Regenerate constraints.txt after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/klimatavtal-lock && $(PYTHON) -m venv /tmp/klimatavtal-lock
	/tmp/klimatavtal-lock/bin/pip install --quiet '.[dev]' pyinstaller  # pyinstaller: make bundle
	/tmp/klimatavtal-lock/bin/pip freeze --exclude klimatavtal-kiosk > constraints.txt

## Autogenerate an Alembic revision: make migration MSG="add something".
migration: $(VENV)/.installed
	rm -f /tmp/klimatavtal-scratch.sqlite3
	$(PY) -c "from pathlib import Path; from kiosk.store import open_store; open_store(Path('/tmp/klimatavtal-scratch'))" || true
	$(PY) -m alembic -c kiosk/store/alembic.ini revision --autogenerate -m "$(MSG)"

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
