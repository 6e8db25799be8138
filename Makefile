# CareBridge (连心桥). `make demo` serves a demo hospital; `make test` runs the whole suite.
# Everything is installed from this repository's own pinned files: requirements/*.txt and package-lock.json.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/carebridge
DEMO_PATIENTS ?= 3000
# Test processes (pytest-xdist): both cores by default; PYTEST_WORKERS=0 runs in this process, for debugging.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS)

.PHONY: install install-dev fonts browser demo demo-day serve test test-unit e2e test-postgres test-postgres-bound fuzz lint typecheck bench bench-suite messages lock clean

## install: create .venv with the pinned Python and front-end dependencies
install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## install-dev: install plus the test and lint tools
install-dev: install $(VENV)/.dev-installed

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

## fonts: a CJK font and Pango for the Chinese PDFs (WeasyPrint); Debian packages
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! ldconfig -p | grep -q libpangoft2 || ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  echo "Installing Debian packages fonts-noto-cjk, libpangoft2-1.0-0 and libharfbuzz-subset0 (Chinese PDFs)"; \
	  scripts/apt-install fonts-noto-cjk libpangoft2-1.0-0 libharfbuzz-subset0 \
	    || echo "WARNING: could not install them; PDFs will lack Chinese glyphs until they are installed."; \
	fi

## browser: Debian's chromium for the end-to-end tests (and the CJK font for its screenshots)
browser: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian package chromium"; \
	  scripts/apt-install chromium; \
	fi

## demo: install, create the embedded database, load the demo hospital and serve it on :8000
demo: install fonts
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty --patients $(DEMO_PATIENTS)
	@$(MAKE) --no-print-directory serve

MLLP_PORT ?= 2575

## serve: the web server, the embedded Celery worker with beat (no Redis needed) and the MLLP listener
serve:
	@echo ""
	@echo "  CareBridge demo: http://127.0.0.1:8000"
	@echo "  Users: agent ward_manager clinician checkup_staff guide_nurse chief_examiner complaint_officer quality_officer dept_head executive admin"
	@echo "  Password: carebridge-demo"
	@echo ""
	@echo "  HL7 v2 (MLLP) listener: 127.0.0.1:$(MLLP_PORT) — replay a day of traffic: make demo-day"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/celery -A carebridge worker --beat --pool=solo --loglevel=warning & \
	  $(BIN)/python manage.py mllp_serve --host 127.0.0.1 --port $(MLLP_PORT) & \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

## demo-day: send a realistic day of HL7 v2 ADT and ORU traffic to the running demo's MLLP listener
demo-day:
	$(BIN)/python manage.py interop_demo_day --port $(MLLP_PORT)

## test: the whole suite on SQLite (unit and integration, then the browser tests)
test: test-unit e2e

test-unit: install-dev fonts
	@echo "=== suite on SQLite ==="
	$(BIN)/pytest -q -m "not e2e" $(PYTEST_PARALLEL) --cov --cov-report=term:skip-covered -p no:cacheprovider

## e2e: end-to-end tests in Debian's chromium driven by Playwright
e2e: install-dev browser
	@echo "=== end-to-end in chromium ==="
	$(BIN)/pytest -q -m e2e -p no:cacheprovider

## test-postgres: the same suite against PostgreSQL (and the Redis broker when REDIS_URL is set)
test-postgres: install-dev
	@echo "=== suite on PostgreSQL ($(PG_URL)) ==="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not e2e" $(PYTEST_PARALLEL) -p no:cacheprovider

## test-postgres-bound: the PostgreSQL suite with server-side binding and prepared statements, as the
##       production web workers run (gunicorn.conf.py); not in CI for its time, run it when queries change
test-postgres-bound: install-dev
	@echo "=== suite on PostgreSQL ($(PG_URL)), server-side binding ==="
	DATABASE_URL=$(PG_URL) DB_SERVER_SIDE_BINDING=1 $(BIN)/pytest -q -m "not e2e" $(PYTEST_PARALLEL) -p no:cacheprovider

## fuzz: schemathesis over the whole API as admin and a scoped role on a fresh demo; fails on any 5xx
##       (FUZZ_SECONDS per role, default 150; FUZZ_DATABASE_URL, default a SQLite file under var/)
fuzz: install-dev
	BIN=$(BIN) scripts/fuzz-api

## lint: ruff and the migrations check
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

## typecheck: mypy with django-stubs
typecheck: install-dev
	$(BIN)/mypy carebridge

## bench: every benchmark suite at a stated size on PostgreSQL; writes bench/results.md (figure, baseline
## measured in the same run, ratio, load average, date, commit). BENCH_ARGS="--only registry --size large"
bench: install-dev
	DATABASE_URL=$(PG_URL) $(BIN)/python bench/all.py $(BENCH_ARGS)

## bench-suite: one suite with its own options, e.g. BENCH_ARGS="--suite followup-queue --patients 100000"
bench-suite: install-dev
	DATABASE_URL=$(PG_URL) $(BIN)/python bench/run.py $(BENCH_ARGS)

## messages: refresh and compile the translations after changing user-facing strings
messages: install-dev
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore='carebridge/lib/stats/*' --ignore='carebridge/lib/analyze/*'
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

## lock: re-resolve the pinned Python dependencies from requirements/*.in
lock: install-dev
	cd requirements && ../$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) node_modules var
