# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run system-check bundle test bench lint format install lock migration clean screenshots translations vendor-libsodium

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[kiosk,store,dev]'
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

## Screenshots of every screen of the pledge flow, from the real app under Xvfb;
## `make screenshots SCREEN=1920x1080 SHOTS=/tmp/big` for another screen size.
SCREEN ?= 1366x768
SHOTS ?= docs/screenshots
screenshots: $(VENV)/.installed
	xvfb-run -a -s "-screen 0 $(SCREEN)x24" env QT_QPA_PLATFORM=xcb $(PY) -m tests.screenshots $(SHOTS)

## ruff, then mypy --strict on kiosk/ and sync/ ([tool.mypy] in pyproject.toml).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Desktop entry + icon for this checkout; `make install AUTOSTART=1` also starts it at login.
AUTOSTART ?=
install: $(VENV)/.installed
	$(abspath $(PY)) -m kiosk.desktop $(if $(filter 1 yes true,$(AUTOSTART)),--autostart)

## Catalogues: extract the keys into the template, update every .po from it, compile the .mo files.
LOCALE := resources/locale
STORE_LOCALE := sync/server/web/locale
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F $(LOCALE)/babel.cfg --no-location --sort-output \
	  --add-comments=TRANSLATORS: --project="Klimatavtalet kiosk" -o $(LOCALE)/klimatavtal.pot .
	$(VENV)/bin/pybabel -q update -i $(LOCALE)/klimatavtal.pot -d $(LOCALE) -D klimatavtal \
	  --no-fuzzy-matching --ignore-obsolete --no-wrap
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D klimatavtal --statistics
	$(VENV)/bin/pybabel -q extract -F $(STORE_LOCALE)/babel.cfg --no-location --sort-output \
	  --add-comments=TRANSLATORS: --project="Klimatavtalet central store" -o $(STORE_LOCALE)/store.pot .
	$(VENV)/bin/pybabel -q update -i $(STORE_LOCALE)/store.pot -d $(STORE_LOCALE) -D store \
	  --no-fuzzy-matching --ignore-obsolete --no-wrap
	$(VENV)/bin/pybabel compile -d $(STORE_LOCALE) -D store --statistics

## Regenerate constraints.txt after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/klimatavtal-lock && $(PYTHON) -m venv /tmp/klimatavtal-lock
	/tmp/klimatavtal-lock/bin/pip install --quiet '.[kiosk,store,dev]' pyinstaller  # pyinstaller: make bundle
	/tmp/klimatavtal-lock/bin/pip freeze --exclude klimatavtal-kiosk > constraints.txt

## Autogenerate an Alembic revision: make migration MSG="add something".
migration: $(VENV)/.installed
	rm -f /tmp/klimatavtal-scratch.sqlite3
	$(PY) -c "from pathlib import Path; from kiosk.store import open_store; open_store(Path('/tmp/klimatavtal-scratch'))" || true
	$(PY) -m alembic -c kiosk/store/alembic.ini revision --autogenerate -m "$(MSG)"

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info

## Vendor libsodium.js (sumo: it has argon2id) for the console's in-browser export, pinned.
LIBSODIUM_VERSION := 0.8.4
LIBSODIUM_DIR := sync/server/web/static/vendor/libsodium
vendor-libsodium:
	rm -rf /tmp/klimatavtal-libsodium && mkdir -p /tmp/klimatavtal-libsodium $(LIBSODIUM_DIR)
	cd /tmp/klimatavtal-libsodium && npm pack --silent libsodium-wrappers-sumo@$(LIBSODIUM_VERSION) libsodium-sumo@$(LIBSODIUM_VERSION) \
	  && tar xzf libsodium-wrappers-sumo-$(LIBSODIUM_VERSION).tgz && mv package wrappers \
	  && tar xzf libsodium-sumo-$(LIBSODIUM_VERSION).tgz && mv package sumo
	cp /tmp/klimatavtal-libsodium/sumo/dist/modules-sumo-esm/libsodium-sumo.mjs $(LIBSODIUM_DIR)/
	# The wrapper imports the bare name "libsodium-sumo"; a page without a bundler needs a path.
	sed 's|from"libsodium-sumo"|from"./libsodium-sumo.mjs"|' \
	  /tmp/klimatavtal-libsodium/wrappers/dist/modules-sumo-esm/libsodium-wrappers.mjs > $(LIBSODIUM_DIR)/libsodium-wrappers.mjs
	cp /tmp/klimatavtal-libsodium/wrappers/LICENSE $(LIBSODIUM_DIR)/LICENSE
	cd $(LIBSODIUM_DIR) && sha256sum libsodium-sumo.mjs libsodium-wrappers.mjs > SHA256SUMS
	printf 'libsodium-wrappers-sumo %s and libsodium-sumo %s from the npm registry (ISC licence, LICENSE).\nMade by `make vendor-libsodium`; the only change is the import path in libsodium-wrappers.mjs.\n' $(LIBSODIUM_VERSION) $(LIBSODIUM_VERSION) > $(LIBSODIUM_DIR)/VERSION
