"""The congress sessions leave congress for this app without touching the database.

The tables keep their names (`db_table`), so only Django's picture of the models moves: congress
forgets them (congress 0013) and this app takes them. Their content types are relabelled in place,
keeping their ids, so permissions and the admin's history keep pointing at the same rows.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from congress.model_moves import relabel_content_types

MOVED = ("session", "agendaitem", "budgetline", "attendance", "historicalattendance")



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("congress", "0012_display_links"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Session',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('kind', models.CharField(choices=[('february', 'February session'), ('july', 'July session'), ('extra', 'extra session')], max_length=10, verbose_name='kind')),
                        ('title', models.CharField(blank=True, help_text='For example: the fifth meeting of the 18th congress', max_length=120, verbose_name='title')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('ends_on', models.DateField(verbose_name='ends on')),
                        ('place', models.CharField(blank=True, max_length=120, verbose_name='place')),
                        ('town', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='congress.town', verbose_name='town')),
                    ],
                    options={
                        'verbose_name': 'congress session',
                        'verbose_name_plural': 'congress sessions',
                        'db_table': 'congress_session',
                        'ordering': ['town_id', '-starts_on'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAttendance',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'present'), ('leave', 'on leave'), ('absent', 'absent')], max_length=10, verbose_name='status')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('deputy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='congress.deputy', verbose_name='deputy')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sittings.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'historical attendance',
                        'verbose_name_plural': 'historical attendance',
                        'db_table': 'congress_historicalattendance',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'present'), ('leave', 'on leave'), ('absent', 'absent')], max_length=10, verbose_name='status')),
                        ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='congress.deputy', verbose_name='deputy')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='sittings.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'congress_attendance',
                        'ordering': ['session_id', 'deputy__constituency__number', 'deputy__name'],
                    },
                ),
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('kind', models.CharField(choices=[('government_report', 'government work report'), ('congress_report', 'congress work report'), ('budget_report', 'budget and final accounts report'), ('livelihood_plan', 'plan of livelihood projects'), ('half_year_report', 'half-year economic and social development report'), ('deputy_mayor_report', "deputy mayor's special work report"), ('other', 'other')], max_length=30, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('reporter', models.CharField(blank=True, max_length=60, verbose_name='reporter')),
                        ('document', models.TextField(blank=True, verbose_name='document')),
                        ('deliberation_opinions', models.TextField(blank=True, verbose_name='deliberation opinions')),
                        ('resolution', models.TextField(blank=True, verbose_name='resolution')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='sittings.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'agenda item',
                        'verbose_name_plural': 'agenda items',
                        'db_table': 'congress_agendaitem',
                        'ordering': ['session_id', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='BudgetLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('side', models.CharField(choices=[('revenue', 'revenue'), ('expenditure', 'expenditure')], max_length=12, verbose_name='side')),
                        ('category', models.CharField(help_text='For example: general public services', max_length=60, verbose_name='category')),
                        ('is_total', models.BooleanField(default=False, verbose_name='total')),
                        ('last_year', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='last year (10,000 yuan)')),
                        ('this_year', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='this year (10,000 yuan)')),
                        ('executed_to_date', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='executed to date (10,000 yuan)')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_lines', to='sittings.agendaitem', verbose_name='agenda item')),
                    ],
                    options={
                        'verbose_name': 'budget figure',
                        'verbose_name_plural': 'budget figures',
                        'db_table': 'congress_budgetline',
                        'ordering': ['item_id', 'side', '-is_total', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('item', 'side', 'category'), name='budget_line_category_unique'), models.UniqueConstraint(condition=models.Q(('is_total', True)), fields=('item', 'side'), name='budget_line_one_total_per_side'), models.CheckConstraint(condition=models.Q(('side__in', ['revenue', 'expenditure'])), name='budget_line_side_valid')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'extra'), _negated=True), fields=('town', 'year', 'kind'), name='session_one_regular_per_kind_and_year'),
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='session_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['february', 'july', 'extra'])), name='session_kind_valid'),
                ),
                migrations.AddConstraint(
                    model_name='session',
                    constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='session_year_sane'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('session', 'deputy'), name='attendance_once_per_deputy'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['present', 'leave', 'absent'])), name='attendance_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='agendaitem',
                    constraint=models.UniqueConstraint(fields=('session', 'order'), name='agenda_item_order_unique'),
                ),
            ],
        ),
        relabel_content_types("congress", "sittings", MOVED),
    ]
