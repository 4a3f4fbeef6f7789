"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib, so that no system gettext is needed.

`--normalize` (run by `make makemessages` after extraction) rewrites every catalogue in polib's layout and drops
obsolete entries, so that a new string changes a few lines of a .po file, not its wrapping everywhere.
"""

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    found = BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")
    return sorted(p for p in found if not {".venv", "var"} & set(p.relative_to(BASE_DIR).parts))


def normalize() -> None:
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.obsolete_entries():
            catalogue.remove(entry)
        catalogue.save(str(po_path))


def main() -> None:
    if "--normalize" in sys.argv[1:]:
        normalize()
        return
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
