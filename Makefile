# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast install install-dev install-nu lock lint format migrations check-migrations clean communes

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files, every download checked against its hash; the project itself
# is then installed on top without its dependencies. A changed lock file (or pyproject.toml)
# installs again.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# requirements-dev.lock holds every pin of requirements.lock (`make lock`), plus the dev extras.
$(VENV)/.installed-dev: requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/workshops migrate
	$(BIN)/workshops demo
	@echo "Ouvrez http://127.0.0.1:8000 (Ctrl+C pour arrêter)."
	$(BIN)/workshops serve --host 127.0.0.1 --port 8000

# The W3C Nu HTML checker for the browser journeys (tests/browser/test_nu_checker.py): vnu.jar from
# the npm registry, pinned by tests/browser/nu/package-lock.json; needs npm, and Java to run.
# Without npm the check is skipped (it fails under REQUIRE_BROWSER=1, as in .ci/run).
NU := tests/browser/nu
$(NU)/node_modules/.installed: $(NU)/package-lock.json
	@if command -v npm > /dev/null; then \
		npm ci --prefix $(NU) --ignore-scripts --no-audit --no-fund --silent && touch $@; \
	else echo "npm est absent : le vérificateur HTML du W3C (vnu.jar) ne sera pas installé."; fi

install-nu: $(NU)/node_modules/.installed

test: install-dev install-nu
	$(BIN)/python -m pytest

# The suite without the browser journeys, the fault tests, the fuzzing and the tests marked slow
# (tests/slow.py): under a minute, for between two changes. `make test` runs everything.
test-fast: install-dev
	$(BIN)/python -m pytest -p tests.slow -m "not slow" \
		--ignore=tests/browser --ignore=tests/faults --ignore=tests/security/test_fuzzing.py

# Refresh the lock files from pyproject.toml (Python 3.11 on Linux), keeping the pinned versions
# that still fit; `make lock LOCK_FLAGS=--upgrade` takes the newest versions allowed.
LOCK := $(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform linux --custom-compile-command "make lock" --quiet $(LOCK_FLAGS)
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev --constraint requirements.lock -o requirements-dev.lock

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations: install
	$(BIN)/workshops makemigrations

check-migrations: install
	$(BIN)/workshops makemigrations --check

# The official commune list, from Etalab's npm package (needs npm): see scripts/refresh_communes.py.
communes: install
	$(BIN)/python scripts/refresh_communes.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(NU)/node_modules

.PHONY: translations

# Re-extract the French message ids from the code and templates, then merge them into the English
# catalogue: translate its new empty (or fuzzy) entries, which tests/web/test_i18n.py checks.
# `--ignore-dirs '.*'` skips only hidden folders: Babel's default also skips templates/_partials.
TRANSLATIONS := workshops/translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 --ignore-dirs '.*' \
		--sort-by-file --project=workshops --version=0.1.0 -o $(TRANSLATIONS)/messages.pot . \
	&& $(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l en \
		--init-missing --ignore-pot-creation-date
