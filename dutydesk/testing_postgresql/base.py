"""Django's PostgreSQL backend for the test settings only (dutydesk/settings_test.py), with one change: how `flush`
empties the tables after each `transaction=True` test (and every browser test, whose live server needs it).

Django's flush is one `TRUNCATE t1, t2, ...` of all ~90 tables: PostgreSQL gives each table and index a new file
and takes an exclusive lock on each, ~0.3 s quiet and 2-3 s on a busy machine per test, with ~110 such tests. A
test leaves a handful of rows, so `DELETE FROM` each table does the same (every row gone, sequences left as
TRUNCATE without RESTART IDENTITY leaves them) in ~20 ms. The deletes run with session_replication_role = replica
for that transaction only: foreign keys (in any order) and the append-only triggers of the audit trail and of
signed handovers are not fired, as TRUNCATE fires none of them. That setting needs a superuser (the embedded
PostgreSQL's `postgres`); on a server where the tests are not one, the flush stays Django's TRUNCATE.

Everything else (queries, transactions, locks, constraints during the tests) is the stock backend's.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not self.connection.is_superuser():
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Run by execute_sql_flush inside one transaction: SET LOCAL ends with it.
        return ["SET LOCAL session_replication_role = replica;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _superuser: bool | None = None

    def is_superuser(self) -> bool:
        if self._superuser is None:
            with self.cursor() as cursor:
                cursor.execute("SELECT current_setting('is_superuser') = 'on'")
                self._superuser = bool(cursor.fetchone()[0])
        return self._superuser
