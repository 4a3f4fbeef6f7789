"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib, so that no system gettext is needed."""

from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    catalogues = BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")
    for po_path in sorted(p for p in catalogues if not {".venv", "var"} & set(p.relative_to(BASE_DIR).parts)):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
