"""R-LOG-7: search over all logbooks without a database extension.

PostgreSQL's parsers do not split Chinese into words, so dutydesk does it here: each run of CJK characters becomes
its overlapping character bigrams at consecutive positions (退款进度 → 退款 款进 进度 at 1 2 3) plus the run's
last character alone, and each ASCII word becomes itself. The entry stores that as a tsvector with a GIN index.
A query phrase becomes the same bigrams joined by `<->` (followed by), so 物流延迟 matches only those four
characters in that order; a single character is a prefix query (退:*). Pure functions; entries call
`vector_text` when written, the search page calls `tsquery_text`.
"""

import re

# CJK Unified Ideographs (+ extension A and compatibility ideographs) and ASCII words.
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position


def _runs(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _run_tokens(run: str) -> list[str]:
    if not _CJK.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def vector_text(*texts: str) -> str:
    """The tsvector literal of some texts: lexemes with their positions ('退款':1,7 '款进':2 ...).
    Runs are separated by a gap of one position so that a phrase never matches across punctuation."""
    positions: dict[str, list[int]] = {}
    position = 1
    for text in texts:
        for run in _runs(text):
            for token in _run_tokens(run):
                if position > MAX_POSITION:
                    break
                positions.setdefault(token, []).append(position)
                position += 1
            position += 1
    # Tokens hold only letters and digits, so no quoting is needed inside the quotes.
    return " ".join(f"'{token}':{','.join(map(str, spots))}" for token, spots in positions.items())


def tsquery_text(query: str) -> str:
    """The to_tsquery('simple', ...) text of what a person typed: each run a phrase of bigrams (<->), runs and
    words joined by & (all must match). Empty when nothing searchable was typed."""
    parts = []
    for run in _runs(query):
        if not _CJK.match(run):
            parts.append(f"'{run.lower()}':*")
        elif len(run) == 1:
            parts.append(f"'{run}':*")
        else:
            bigrams = [run[i:i + 2] for i in range(len(run) - 1)]
            parts.append("(" + " <-> ".join(f"'{bigram}'" for bigram in bigrams) + ")")
    return " & ".join(parts)
