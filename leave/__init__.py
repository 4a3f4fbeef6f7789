"""Leave and swaps (请假 / 调班): R-LEAVE-1..4, R-SWAP-1..2, an app of its own (label `leave`).

Its models keep the tables they had when they lived in the roster app (roster_leaverequest ...), so moving them
here copied no data (leave/migrations/0001 creates them in the migration state only, roster's 0009 removes them
there). The app: models, rules (pure), queries and coverage (reads), services (every write), kinds (leave kinds
another app registers), permissions, forms, views, urls, home, admin, demo, tests.

Contracts, both ways:
- the roster knows nothing of this app: it learns approved leave (R-ROSTER-8: no shift during approved leave) and
  the leave days and swaps of its fairness report from the source registered in `LeaveConfig.ready()`
  (roster.absences.register); the menu entries, home section and URLs are registered here too;
- this app reads the roster only through `roster.queries` and changes it only through
  `roster.services.revise_published`.
"""
