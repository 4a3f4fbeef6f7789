"""`make bench`: every benchmark on the real services; each figure printed as `BENCH <name> <value> <unit>`.

Benchmarks run against their own database (created and dropped here), never the demo data.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    # Always the test settings (importing dutydesk sets DJANGO_SETTINGS_MODULE to the dev settings), and a database
    # of the benchmarks' own, so that a test run at the same time is not disturbed.
    os.environ["DJANGO_SETTINGS_MODULE"] = "dutydesk.settings_test"
    os.environ.setdefault("TEST_DB_NAME", "bench_dutydesk")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    # A database of its own, like the tests: the demo site's data is never touched.
    databases = setup_databases(verbosity=0, interactive=False, keepdb=False)
    failed = 0
    try:
        names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")]
        selected = sys.argv[1:] or names
        for name in sorted(selected):
            module = importlib.import_module(f"benchmarks.{name}")
            try:
                module.main()
            except Exception as error:  # one broken benchmark must not hide the others' figures
                failed += 1
                print(f"benchmark {name} failed: {error!r}", file=sys.stderr)
            finally:
                # Each benchmark starts from an empty database, as a test does.
                call_command("flush", interactive=False, verbosity=0)
    finally:
        teardown_databases(databases, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
