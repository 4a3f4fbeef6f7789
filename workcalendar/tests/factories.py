"""Calendar files to import (plain calendars and the 2027 sample: testdata.calendar)."""

from __future__ import annotations

import json


def csv_bytes(rows, *, header: bool = True, encoding: str = "utf-8") -> bytes:
    lines = (["date,kind,name"] if header else []) + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def json_bytes(rows, **top) -> bytes:
    days = [{"date": str(d), "kind": k, "name": n} for d, k, n in rows]
    return json.dumps({**top, "days": days} if top else days, ensure_ascii=False).encode()
