"""A published circular (通报) never changes: the database refuses to update or delete it, whoever asks."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION supervision_circular_refuse_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'circular % is published and cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER supervision_circular_published_immutable
    BEFORE UPDATE OR DELETE ON supervision_circular
    FOR EACH ROW EXECUTE FUNCTION supervision_circular_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS supervision_circular_published_immutable ON supervision_circular;
DROP FUNCTION IF EXISTS supervision_circular_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
