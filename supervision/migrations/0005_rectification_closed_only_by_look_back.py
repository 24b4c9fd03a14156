"""A rectification item (整改事项) is closed only by a look-back (回头看) that found it put right: the
database refuses any other close, and a closed item never reopens, whoever asks."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION supervision_rectification_refuse_close() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.closed_on IS NOT NULL AND NEW.closed_on IS DISTINCT FROM OLD.closed_on THEN
        RAISE EXCEPTION 'rectification % is closed and cannot reopen', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.closed_on IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.closed_on IS NULL) AND NOT EXISTS (
        SELECT 1 FROM supervision_lookback
        WHERE rectification_id = NEW.id AND verdict = 'done' AND checked_on = NEW.closed_on
    ) THEN
        RAISE EXCEPTION 'rectification % is closed only by a look-back that found it done', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER supervision_rectification_closed_by_look_back
    BEFORE INSERT OR UPDATE ON supervision_rectification
    FOR EACH ROW EXECUTE FUNCTION supervision_rectification_refuse_close();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS supervision_rectification_closed_by_look_back ON supervision_rectification;
DROP FUNCTION IF EXISTS supervision_rectification_refuse_close();
"""


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_keyworks")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
