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

install: $(VENV)/.installed

# Compiled with polib (pure Python), so no system gettext is needed to run or test.
messages: install
	$(PY) -m dutydesk.compile_messages

run: install messages
	$(PY) -m dutydesk.devserver

lint: install
	$(VENV)/bin/ruff check .

test: install messages lint
	$(EMBEDDED) $(PY) -m pytest $(PYTEST_ARGS)

# `make bench BENCH=bench_notifications` runs one module.
bench: install messages
	$(EMBEDDED) $(PY) -m benchmarks $(BENCH)

# Extracting strings needs GNU gettext (Debian: apt-get install gettext); only translators need it.
# The project catalogue (locale/) holds dutydesk/ and templates/; each app keeps its own (<app>/locale/).
APP_CATALOGUES := workcalendar roster leave logbook appraisal people compensation forecast dutydesk/notifications dutydesk/audit
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
