"""Roster pages, split by journey: pages (everyone reads), edit (the supervisor's draft), setup (team settings),
mine (an agent's own shifts, availability and calendar feed)."""
