"""The deputies' suggestions now live in the suggestions app (suggestions 0001); congress forgets them.

Only Django's picture of the models changes: the tables, their history and their rows stay.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0014_activities_move_to_duty"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="SuggestionEvent"),
                migrations.DeleteModel(name="SuggestionAnswer"),
                migrations.DeleteModel(name="HistoricalSuggestionAnswer"),
                migrations.DeleteModel(name="SuggestionDepartment"),
                migrations.DeleteModel(name="SuggestionProposer"),
                migrations.DeleteModel(name="HistoricalSuggestion"),
                migrations.DeleteModel(name="Suggestion"),
            ],
        ),
    ]
