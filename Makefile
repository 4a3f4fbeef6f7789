# dutydesk: `make run` serves the demo site, `make test` runs the whole suite, `make bench` prints BENCH lines.
# Without DATABASE_URL / REDIS_URL, an embedded PostgreSQL and Redis run with their data under var/ (this checkout's
# own; importing the settings starts nothing, so every target that needs them starts them here).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EMBEDDED := $(PY) -m dutydesk.embedded exec --
PORT ?= 8000
export PORT

.PHONY: run test lint bench install messages makemessages services-stop clean-var

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The company directory's sign-in (python-ldap, django-auth-ldap) is optional: python-ldap has no wheel on PyPI and
# builds only against libldap2-dev and libsasl2-dev. Installed where both headers are; the stamp is named after
# whether they are, so installing them later (or a change of requirements-ldap.txt) installs it on the next make.
LDAP_HEADERS := $(if $(and $(wildcard /usr/include/ldap.h),$(wildcard /usr/include/sasl/sasl.h)),found,missing)
LDAP_STAMP := $(VENV)/.ldap-headers-$(LDAP_HEADERS)

$(LDAP_STAMP): requirements-ldap.txt $(VENV)/.installed
	@rm -f $(VENV)/.ldap-headers-*
ifeq ($(LDAP_HEADERS),found)
	$(PY) -m pip install --quiet -r requirements-ldap.txt
else
	@echo "LDAP sign-in is off: install libldap2-dev and libsasl2-dev (and gcc), then run make again."
endif
	@touch $@

install: $(VENV)/.installed $(LDAP_STAMP)

# Compiled with polib (pure Python), so no system gettext is needed to run or test.
messages: install
	$(PY) -m dutydesk.compile_messages

run: install messages
	$(PY) -m dutydesk.devserver

# ruff (lint and format), mypy (pyproject.toml: strict on the pure modules) and no model change without its
# migration. A few seconds once mypy's cache (.mypy_cache/) is warm.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(EMBEDDED) $(PY) manage.py makemigrations --check --dry-run

# The whole suite runs in parallel (pytest-xdist: `-n auto` is the cores, at least 3, see conftest.py; each worker
# has its own test database and Redis database); --maxschedchunk 4 hands out tests a few at a time, so the long
# ones conftest.py puts first spread over the workers. PYTEST_ARGS given (one file, -x) runs serially, as before:
# `make test PYTEST_ARGS="roster/tests/test_rules.py -x -q"`; add `-n auto` to a big selection.
PYTEST_ARGS ?= -n auto --maxschedchunk 4

# The suite tests the directory sign-in against a real slapd: it needs python-ldap (.ci/run installs what it takes).
test: install messages lint
	@$(PY) -c "import ldap, django_auth_ldap, slapdtest" 2>/dev/null || { \
		echo "make test: python-ldap / django-auth-ldap are not installed, and the LDAP sign-in tests need them."; \
		echo "Run .ci/run (it installs libldap2-dev, libsasl2-dev, gcc, slapd and ldap-utils, then make test)."; \
		exit 1; }
	$(EMBEDDED) $(PY) -m pytest $(PYTEST_ARGS)

# `make bench BENCH=bench_notifications` runs one module.
bench: install messages
	$(EMBEDDED) $(PY) -m benchmarks $(BENCH)

# Extracting strings needs GNU gettext (Debian: apt-get install gettext); only translators need it.
# The project catalogue (locale/) holds dutydesk/ and templates/; each app keeps its own (<app>/locale/).
APP_CATALOGUES := workcalendar roster leave market logbook appraisal people compensation forecast dutydesk/notifications \
	dutydesk/sso dutydesk/audit api
makemessages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=var --ignore=staticfiles \
		--ignore=benchmarks $(foreach app,$(APP_CATALOGUES),--ignore=$(app))
	# Django is set up from here, then the catalogue's folder becomes the working directory: Celery's Django fixup
	# puts the working directory first on sys.path, where a module named like an app would stand for it.
	for app in $(APP_CATALOGUES); do \
		$(PY) -c "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dutydesk.settings'); \
			django.setup(); os.chdir('$$app'); from django.core.management import call_command; \
			call_command('makemessages', locale=['zh_Hans'], no_location=True)" || exit 1; \
	done
	$(PY) -m dutydesk.compile_messages --normalize

services-stop:
	$(PY) -m dutydesk.embedded stop

clean-var: services-stop
	rm -rf var
