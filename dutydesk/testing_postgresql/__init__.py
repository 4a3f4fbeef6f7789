"""The tests' database backend: Django's PostgreSQL backend, emptying tables faster between tests (base.py)."""
