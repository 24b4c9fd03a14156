"""The deputies' activities and reception days now live in the duty app (duty 0001); congress forgets them.

Only Django's picture of the models changes: the tables, their many-to-many tables and their rows stay.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0013_sessions_move_to_sittings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Activity"),
                migrations.DeleteModel(name="ReceptionDuty"),
            ],
        ),
    ]
