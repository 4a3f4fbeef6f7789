"""R-LOG-5: a handover signed by both agents cannot be changed or deleted, whoever asks (the admin, a script, a
bug): the database refuses it. A plain PL/pgSQL trigger, no extension."""

from django.db import migrations

LOCK = """
CREATE FUNCTION logbook_handover_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.outgoing_signed_at IS NOT NULL AND OLD.incoming_signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'handover % is signed by both and locked (R-LOG-5)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER logbook_handover_locked
    BEFORE UPDATE OR DELETE ON logbook_handover
    FOR EACH ROW EXECUTE FUNCTION logbook_handover_locked();
"""

UNLOCK = """
DROP TRIGGER IF EXISTS logbook_handover_locked ON logbook_handover;
DROP FUNCTION IF EXISTS logbook_handover_locked();
"""


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_duty_day_logbooks_handovers_discipline")]

    operations = [migrations.RunSQL(LOCK, UNLOCK)]
