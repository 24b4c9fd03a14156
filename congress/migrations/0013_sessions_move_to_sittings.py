"""The congress sessions now live in the sittings app (sittings 0001); congress forgets them.

Only Django's picture of the models changes: the tables stay, with their rows and triggers.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0012_display_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="BudgetLine"),
                migrations.DeleteModel(name="AgendaItem"),
                migrations.DeleteModel(name="HistoricalAttendance"),
                migrations.DeleteModel(name="Attendance"),
                migrations.DeleteModel(name="Session"),
            ],
        ),
    ]
