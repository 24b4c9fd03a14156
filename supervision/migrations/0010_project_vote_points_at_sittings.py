"""The vote points at the congress session in its new app; the column and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sittings", "0001_initial"),
        ("supervision", "0009_history_of_versions"),
    ]
    # congress forgets the session model only once nothing points at it there.
    run_before = [("congress", "0013_sessions_move_to_sittings")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="historicalprojectvote",
                    name="session",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="sittings.session",
                        verbose_name="congress session",
                    ),
                ),
                migrations.AlterField(
                    model_name="projectvote",
                    name="session",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="project_vote",
                        to="sittings.session",
                        verbose_name="congress session",
                    ),
                ),
            ],
        ),
    ]
