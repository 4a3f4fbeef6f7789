#!/usr/bin/env python
import os
import sys

# Commands that never touch the database or the broker: they run without starting the embedded servers.
OFFLINE_COMMANDS = {"check", "collectstatic", "compilemessages", "diffsettings", "help", "makemessages", "version"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command == "runserver":
        # runserver answers each request in a thread of its own; a persistent connection per thread (CONN_MAX_AGE)
        # is never reused, so 50 requests at once would hold 50 connections for a minute (PostgreSQL allows 100).
        os.environ.setdefault("CONN_MAX_AGE", "0")
    if command not in OFFLINE_COMMANDS and "--help" not in sys.argv:
        # Settings start nothing; this is where a command that needs PostgreSQL and Redis gets them.
        from dutydesk import embedded

        embedded.ensure_started()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
