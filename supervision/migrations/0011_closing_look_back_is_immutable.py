"""The look-back (回头看) that closed a rectification item is the item's proof of closing: the database
refuses to change or delete it, as it refuses to reopen the item (migration 0005)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION supervision_lookback_refuse_change() RETURNS trigger AS $$
BEGIN
    IF OLD.verdict = 'done' AND EXISTS (
        SELECT 1 FROM supervision_rectification
        WHERE id = OLD.rectification_id AND closed_on IS NOT NULL AND closed_on = OLD.checked_on
    ) THEN
        RAISE EXCEPTION 'look-back % closed rectification % and cannot be changed or deleted',
            OLD.id, OLD.rectification_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER supervision_lookback_closing_is_immutable
    BEFORE UPDATE OR DELETE ON supervision_lookback
    FOR EACH ROW EXECUTE FUNCTION supervision_lookback_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS supervision_lookback_closing_is_immutable ON supervision_lookback;
DROP FUNCTION IF EXISTS supervision_lookback_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("supervision", "0010_project_vote_points_at_sittings")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
