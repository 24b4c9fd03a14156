"""The deputies' suggestions leave congress for this app without touching the database.

The tables, their history tables (with the triggers that keep history append-only) and every index
and constraint keep their names, so only Django's picture of the models moves: congress forgets them
(congress 0015) and this app takes them. Their content types are relabelled in place, keeping their
ids, so attachments (which point at a suggestion through its content type) and permissions keep
pointing at the same rows.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from congress.model_moves import relabel_content_types

MOVED = (
    "suggestion",
    "suggestionproposer",
    "suggestiondepartment",
    "suggestionanswer",
    "suggestionevent",
    "historicalsuggestion",
    "historicalsuggestionanswer",
)



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("congress", "0014_activities_move_to_duty"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSuggestion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('number', models.PositiveIntegerField(blank=True, help_text='Given on submission', null=True, verbose_name='number')),
                        ('entered_on_behalf', models.BooleanField(default=False, verbose_name="entered by staff on the deputy's behalf")),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('category', models.CharField(choices=[('agriculture', 'agriculture, rural areas and farmers'), ('urban', 'urban and rural construction and management'), ('education', 'education, science, culture, health and sport'), ('civil', 'civil affairs and justice'), ('commerce', 'commerce, tourism and transport'), ('economy', 'economic development'), ('other', 'other')], max_length=20, verbose_name='category')),
                        ('content', models.TextField(blank=True, verbose_name='content')),
                        ('reasons', models.TextField(blank=True, verbose_name='reasons')),
                        ('proposed_solution', models.TextField(blank=True, verbose_name='proposed solution')),
                        ('title_bigrams', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=list, editable=False, size=None, verbose_name='title bigrams')),
                        ('state', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('accepted', 'accepted'), ('declined', 'handled as an opinion'), ('assigned', 'assigned'), ('answered', 'answered'), ('tracking', 'follow-up handling'), ('redo', 'handled again'), ('closed', 'closed')], default='draft', max_length=20, verbose_name='state')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('decline_reason', models.TextField(blank=True, verbose_name='reason for handling as an opinion')),
                        ('assigned_on', models.DateField(blank=True, null=True, verbose_name='assigned on')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='answer due on')),
                        ('extension_reason', models.TextField(blank=True, verbose_name='reason for extending the deadline')),
                        ('rating', models.CharField(blank=True, choices=[('satisfied', 'satisfied'), ('basically_satisfied', 'basically satisfied'), ('unsatisfied', 'unsatisfied'), ('unrated', 'not rated')], max_length=20, verbose_name='rating')),
                        ('redo_count', models.PositiveSmallIntegerField(default=0, verbose_name='times handled again')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                        ('supervised', models.BooleanField(default=False, verbose_name='supervised handling')),
                        ('supervision_notes', models.TextField(blank=True, verbose_name='supervision notes')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('form_key', models.UUIDField(blank=True, db_index=True, editable=False, null=True, verbose_name='form key')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('entered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lead_department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='congress.department', verbose_name='lead department')),
                        ('proposer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='congress.deputy', verbose_name='proposer')),
                        ('town', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='congress.town', verbose_name='town')),
                    ],
                    options={
                        'verbose_name': 'historical suggestion',
                        'verbose_name_plural': 'historical suggestions',
                        'db_table': 'congress_historicalsuggestion',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Suggestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('number', models.PositiveIntegerField(blank=True, help_text='Given on submission', null=True, verbose_name='number')),
                        ('entered_on_behalf', models.BooleanField(default=False, verbose_name="entered by staff on the deputy's behalf")),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('category', models.CharField(choices=[('agriculture', 'agriculture, rural areas and farmers'), ('urban', 'urban and rural construction and management'), ('education', 'education, science, culture, health and sport'), ('civil', 'civil affairs and justice'), ('commerce', 'commerce, tourism and transport'), ('economy', 'economic development'), ('other', 'other')], max_length=20, verbose_name='category')),
                        ('content', models.TextField(blank=True, verbose_name='content')),
                        ('reasons', models.TextField(blank=True, verbose_name='reasons')),
                        ('proposed_solution', models.TextField(blank=True, verbose_name='proposed solution')),
                        ('title_bigrams', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=list, editable=False, size=None, verbose_name='title bigrams')),
                        ('state', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('accepted', 'accepted'), ('declined', 'handled as an opinion'), ('assigned', 'assigned'), ('answered', 'answered'), ('tracking', 'follow-up handling'), ('redo', 'handled again'), ('closed', 'closed')], default='draft', max_length=20, verbose_name='state')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('decline_reason', models.TextField(blank=True, verbose_name='reason for handling as an opinion')),
                        ('assigned_on', models.DateField(blank=True, null=True, verbose_name='assigned on')),
                        ('due_on', models.DateField(blank=True, null=True, verbose_name='answer due on')),
                        ('extension_reason', models.TextField(blank=True, verbose_name='reason for extending the deadline')),
                        ('rating', models.CharField(blank=True, choices=[('satisfied', 'satisfied'), ('basically_satisfied', 'basically satisfied'), ('unsatisfied', 'unsatisfied'), ('unrated', 'not rated')], max_length=20, verbose_name='rating')),
                        ('redo_count', models.PositiveSmallIntegerField(default=0, verbose_name='times handled again')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                        ('supervised', models.BooleanField(default=False, verbose_name='supervised handling')),
                        ('supervision_notes', models.TextField(blank=True, verbose_name='supervision notes')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('form_key', models.UUIDField(blank=True, editable=False, null=True, unique=True, verbose_name='form key')),
                        ('entered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                        ('lead_department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_suggestions', to='congress.department', verbose_name='lead department')),
                        ('proposer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_suggestions', to='congress.deputy', verbose_name='proposer')),
                        ('town', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='suggestions', to='congress.town', verbose_name='town')),
                    ],
                    options={
                        'verbose_name': 'suggestion',
                        'verbose_name_plural': 'suggestions',
                        'db_table': 'congress_suggestion',
                        'ordering': ['town_id', '-year', '-number', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSuggestionAnswer',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('round', models.PositiveSmallIntegerField(verbose_name='round')),
                        ('text', models.TextField(verbose_name='answer')),
                        ('result_class', models.CharField(choices=[('A', 'A: solved or basically solved'), ('B', 'B: being solved or started'), ('C', 'C: planned, to be solved step by step'), ('D', 'D: kept for reference owing to constraints')], max_length=1, verbose_name='result class')),
                        ('due_on', models.DateField(verbose_name='due on')),
                        ('answered_on', models.DateField(verbose_name='answered on')),
                        ('rating', models.CharField(blank=True, choices=[('satisfied', 'satisfied'), ('basically_satisfied', 'basically satisfied'), ('unsatisfied', 'unsatisfied'), ('unrated', 'not rated')], max_length=20, verbose_name='rating')),
                        ('rated_on', models.DateField(blank=True, null=True, verbose_name='rated on')),
                        ('rated_on_behalf', models.BooleanField(default=False, verbose_name='rating recorded by staff for the deputy')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('answered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                        ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='congress.department', verbose_name='department')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rated by')),
                        ('suggestion', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='suggestions.suggestion', verbose_name='suggestion')),
                    ],
                    options={
                        'verbose_name': 'historical answer',
                        'verbose_name_plural': 'historical answers',
                        'db_table': 'congress_historicalsuggestionanswer',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SuggestionDepartment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_lead', models.BooleanField(default=False, verbose_name='lead department')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='congress.department')),
                        ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='department_links', to='suggestions.suggestion')),
                    ],
                    options={
                        'verbose_name': 'handling department',
                        'verbose_name_plural': 'handling departments',
                        'db_table': 'congress_suggestiondepartment',
                    },
                ),
                migrations.AddField(
                    model_name='suggestion',
                    name='departments',
                    field=models.ManyToManyField(related_name='suggestions', through='suggestions.SuggestionDepartment', to='congress.department', verbose_name='handling departments'),
                ),
                migrations.CreateModel(
                    name='SuggestionEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('action', models.CharField(max_length=30, verbose_name='action')),
                        ('from_state', models.CharField(blank=True, choices=[('draft', 'draft'), ('submitted', 'submitted'), ('accepted', 'accepted'), ('declined', 'handled as an opinion'), ('assigned', 'assigned'), ('answered', 'answered'), ('tracking', 'follow-up handling'), ('redo', 'handled again'), ('closed', 'closed')], max_length=20, verbose_name='from')),
                        ('to_state', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('accepted', 'accepted'), ('declined', 'handled as an opinion'), ('assigned', 'assigned'), ('answered', 'answered'), ('tracking', 'follow-up handling'), ('redo', 'handled again'), ('closed', 'closed')], max_length=20, verbose_name='to')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('actor', models.ForeignKey(blank=True, help_text='Empty when the system recorded it (an unrated answer)', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='suggestions.suggestion', verbose_name='suggestion')),
                    ],
                    options={
                        'verbose_name': 'suggestion event',
                        'verbose_name_plural': 'suggestion events',
                        'db_table': 'congress_suggestionevent',
                        'ordering': ['suggestion_id', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SuggestionProposer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_lead', models.BooleanField(default=False, verbose_name='lead proposer')),
                        ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='congress.deputy')),
                        ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposer_links', to='suggestions.suggestion')),
                    ],
                    options={
                        'verbose_name': 'proposer',
                        'verbose_name_plural': 'proposers',
                        'db_table': 'congress_suggestionproposer',
                    },
                ),
                migrations.AddField(
                    model_name='suggestion',
                    name='proposers',
                    field=models.ManyToManyField(related_name='suggestions', through='suggestions.SuggestionProposer', to='congress.deputy', verbose_name='proposers'),
                ),
                migrations.CreateModel(
                    name='SuggestionAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('round', models.PositiveSmallIntegerField(verbose_name='round')),
                        ('text', models.TextField(verbose_name='answer')),
                        ('result_class', models.CharField(choices=[('A', 'A: solved or basically solved'), ('B', 'B: being solved or started'), ('C', 'C: planned, to be solved step by step'), ('D', 'D: kept for reference owing to constraints')], max_length=1, verbose_name='result class')),
                        ('due_on', models.DateField(verbose_name='due on')),
                        ('answered_on', models.DateField(verbose_name='answered on')),
                        ('rating', models.CharField(blank=True, choices=[('satisfied', 'satisfied'), ('basically_satisfied', 'basically satisfied'), ('unsatisfied', 'unsatisfied'), ('unrated', 'not rated')], max_length=20, verbose_name='rating')),
                        ('rated_on', models.DateField(blank=True, null=True, verbose_name='rated on')),
                        ('rated_on_behalf', models.BooleanField(default=False, verbose_name='rating recorded by staff for the deputy')),
                        ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='congress.department', verbose_name='department')),
                        ('rated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rated by')),
                        ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='suggestions.suggestion', verbose_name='suggestion')),
                    ],
                    options={
                        'verbose_name': 'answer',
                        'verbose_name_plural': 'answers',
                        'db_table': 'congress_suggestionanswer',
                        'ordering': ['suggestion_id', 'round'],
                        'constraints': [models.UniqueConstraint(fields=('suggestion', 'round'), name='suggestion_answer_round_unique'), models.CheckConstraint(condition=models.Q(('result_class__in', ['A', 'B', 'C', 'D'])), name='answer_class_valid')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='suggestiondepartment',
                    constraint=models.UniqueConstraint(fields=('suggestion', 'department'), name='suggestion_department_once'),
                ),
                migrations.AddConstraint(
                    model_name='suggestiondepartment',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_lead', True)), fields=('suggestion',), name='suggestion_one_lead_department'),
                ),
                migrations.AddConstraint(
                    model_name='suggestionproposer',
                    constraint=models.UniqueConstraint(fields=('suggestion', 'deputy'), name='suggestion_proposer_once'),
                ),
                migrations.AddConstraint(
                    model_name='suggestionproposer',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_lead', True)), fields=('suggestion',), name='suggestion_one_lead_proposer'),
                ),
                migrations.AddIndex(
                    model_name='suggestion',
                    index=django.contrib.postgres.indexes.GinIndex(fields=['title_bigrams'], name='suggestion_title_bigrams_gin'),
                ),
                migrations.AddIndex(
                    model_name='suggestion',
                    index=models.Index(fields=['town', 'state', 'due_on'], name='suggestion_town_state_due'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('town', 'year', 'number'), name='suggestion_number_unique_in_town_year'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['draft', 'submitted', 'accepted', 'declined', 'assigned', 'answered', 'tracking', 'redo', 'closed'])), name='suggestion_state_valid'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.CheckConstraint(condition=models.Q(('state', 'draft'), models.Q(('number__isnull', False), ('submitted_at__isnull', False)), _connector='OR'), name='suggestion_submitted_has_number'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['draft', 'submitted', 'accepted', 'declined']), models.Q(('assigned_on__isnull', False), ('due_on__isnull', False), ('lead_department__isnull', False)), _connector='OR'), name='suggestion_assigned_has_department_and_due'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'declined'), _negated=True), models.Q(('decline_reason', ''), _negated=True), _connector='OR'), name='suggestion_declined_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='suggestion',
                    constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='suggestion_year_sane'),
                ),
            ],
        ),
        relabel_content_types("congress", "suggestions", MOVED),
    ]
