"""Leave and swaps (请假 / 调班): R-LEAVE-1..4, R-SWAP-1..2, a package of the roster app.

The models keep the app label `roster` (roster/models.py imports roster.requests.models), so the migrations keep
their history. The package has the shape of an app: models, rules (pure), queries and coverage (reads), services
(every write), permissions, forms, views, urls, home, admin, demo, tests.

Contracts, both ways:
- the roster calls the package only through `roster.requests.queries.leave_dates` (R-ROSTER-8: no shift during
  approved leave), `roster.requests.queries.request_history` (leave days and swaps for the fairness report),
  `roster.requests.urls`, `roster.requests.home.home_section` and the grants of `roster.requests.permissions`
  (loaded by roster.apps);
- the package reads the roster only through `roster.queries` and changes it only through
  `roster.services.revise_published`.
"""
