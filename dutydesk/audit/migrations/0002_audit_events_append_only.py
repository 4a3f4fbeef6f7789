"""The audit trail is append-only (issue 22 item 3): the database refuses every UPDATE and DELETE of an event,
whoever asks (the application, the admin, a script). A plain PL/pgSQL trigger, as logbook's handover lock: the
embedded PostgreSQL has no extensions, and one ten-line trigger needs no library (pgtrigger/pghistory would
bring a dependency and per-model event tables for what is one table and one rule). TRUNCATE is not a row change
and stays with the database owner (the test runner empties tables with it)."""

from django.db import migrations

LOCK = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % of event % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

UNLOCK = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_events")]

    operations = [migrations.RunSQL(LOCK, UNLOCK)]
