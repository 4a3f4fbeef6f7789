"""R-LOG-7: search over all logbooks without a database extension, finding exactly what Ctrl-F finds.

The rule a user can check: an entry is found when what they typed appears in one of its searched fields, as
typed — the same set as `field ILIKE '%typed%'` — after NFKC normalisation, so that full-width and half-width
characters match (订单１２３ finds 订单123). Nothing else is found: 订单123 does not find 订单号123456.

How it stays fast at a million entries (pure functions here; logbook.queries runs the SQL):

- `search_text`: the entry's searched fields, NFKC-normalised and lower-cased, one per line. A query never
  holds a line break, so it never matches across two fields. The page confirms every candidate with a real
  substring test on this text (`strpos`), which is what makes the result exact.
- `vector_text`: a tsvector of n-grams, to pick candidates through the GIN index. The text is split into runs of
  letters, digits and Chinese characters (a space or punctuation ends a run); at *every* position of a run the
  2 characters starting there are a lexeme, and from an ASCII letter or digit the 3 characters as well (ASCII has
  few characters: pairs of them are common); the run's last character stands alone. 订单号123 → 订单 单号 号1 12
  123 23 3.
- `tsquery_text`: the lexemes a matching entry must hold. Each n-gram lying whole inside a run of the query is
  also an n-gram of any text containing the query (same run, same position), so the filter never loses a match:
  订单123 → 订单 & 单1 & 123, 3天 → 3天, DD12 → dd1 & d12. A run of one character asks for a lexeme starting
  with it (退:*), which the n-gram at the same position of the entry is. Candidates that only hold the pieces
  (订单号123456 has no 单1) are left out by the index; any other near miss by the substring test.
"""

import unicodedata

LINE = "\n"  # between fields: a query is one line, so it never spans two fields
MAX_QUERY_LEXEMES = 8  # enough to make a long phrase selective; more only reads more of the index


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms), then lower case as ILIKE compares."""
    return unicodedata.normalize("NFKC", text or "").lower()


def search_text(*texts: str) -> str:
    """What the substring test runs on: each field normalised, one per line."""
    return LINE.join(normalise(text) for text in texts if text)


def reference_fields(entry) -> list[str]:
    """The customer's reference an entry is also found by (R-LOG-7): its order or customer reference. Not the phone:
    a search by phone number stays impossible (R-LOG-4; a number typed in a text is masked there anyway)."""
    return [entry.customer_ref or ""]


def customer_fields(entry) -> list[str]:
    """What an entry is found by that says who its customer is (R-PIPL-1 masks them on every page): the name and
    the order or customer reference."""
    return [entry.customer_name or "", *reference_fields(entry)]


def found_only_by_reference(text: str, references: list[str], needle: str) -> bool:
    """Whether `needle` occurs in an entry's search text only inside `references` (its customer's name and
    reference, customer_fields): such an entry is not shown to someone who may not see them whole (R-LOG-4):
    finding it would tell them the whole name or number."""
    if not needle:
        return False
    in_references = sum(normalise(ref).count(needle) for ref in references if ref)
    return in_references > 0 and text.count(needle) <= in_references


def query_needle(query: str) -> str:
    """What the person typed, normalised like the fields, the ends trimmed (a search box holds one line)."""
    return " ".join(normalise(query).splitlines()).strip()


def _runs(normalised: str) -> list[str]:
    runs, current = [], []
    for char in normalised:
        if char.isalnum():
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _grams(run: str) -> list[str]:
    """The n-grams of a run at every position: the pair, and the triple from an ASCII character."""
    grams = []
    for i, char in enumerate(run):
        grams.append(run[i : i + 2])
        if char.isascii() and i + 3 <= len(run):
            grams.append(run[i : i + 3])
    return grams


def _query_grams(run: str) -> list[str]:
    """The whole n-grams of a query run, the longest at each position, less any held in one already taken."""
    grams = []
    for i, char in enumerate(run):
        if char.isascii() and i + 3 <= len(run):
            grams.append(run[i : i + 3])
        elif i + 2 <= len(run):
            grams.append(run[i : i + 2])
    return [g for g in dict.fromkeys(grams) if not any(g != other and g in other for other in grams)]


def vector_text(*texts: str) -> str:
    """The tsvector literal (lexemes without positions) of some texts, normalised as `search_text`."""
    lexemes = set()
    for text in texts:
        for run in _runs(normalise(text)):
            lexemes.update(_grams(run))
    # Lexemes hold only letters and digits (str.isalnum), so nothing needs escaping inside the quotes.
    return " ".join(f"'{lexeme}'" for lexeme in sorted(lexemes))


def tsquery_text(query: str) -> str:
    """The tsquery literal (cast with ::tsquery, not parsed again) every entry containing `query` satisfies.
    Empty when the query has no letter, digit or Chinese character: there is nothing to look up."""
    whole, prefixes = [], []
    for run in _runs(query_needle(query)):
        if len(run) == 1:
            prefixes.append(run)  # any n-gram starting with it (the entry's at the same position)
        else:
            whole.extend(gram for gram in _query_grams(run) if gram not in whole)
    if len(whole) > MAX_QUERY_LEXEMES:
        # Evenly spread over the phrase, both ends kept: still only a filter, the substring test decides.
        step = (len(whole) - 1) / (MAX_QUERY_LEXEMES - 1)
        whole = [whole[round(i * step)] for i in range(MAX_QUERY_LEXEMES)]
    parts = [f"'{gram}'" for gram in whole] + [f"'{prefix}':*" for prefix in dict.fromkeys(prefixes)]
    return " & ".join(parts)
