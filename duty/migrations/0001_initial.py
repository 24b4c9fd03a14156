"""The deputies' activities and reception days leave congress for this app without touching the database.

The tables and the tables of the many-to-many fields keep their names (`db_table`), so only Django's
picture of the models moves: congress forgets them (congress 0014) and this app takes them. Their
content types are relabelled in place, keeping their ids, so the photos attached to an activity
(Attachment points at it through its content type) and the permissions keep pointing at the same rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from congress.model_moves import relabel_content_types

MOVED = ("activity", "receptionduty")



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("congress", "0013_sessions_move_to_sittings"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('inspection', 'inspection'), ('check', 'check'), ('research', 'research'), ('training', 'training'), ('lecture', 'publicity lecture'), ('group', 'deputy-group activity'), ('report_back', 'reporting back to voters'), ('commendation', 'commendation')], max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('held_on', models.DateField(verbose_name='date')),
                        ('place', models.CharField(blank=True, help_text='Where it was held, if not a venue', max_length=120, verbose_name='place')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('participants', models.ManyToManyField(blank=True, db_table='congress_activity_participants', related_name='activities', to='congress.deputy', verbose_name='participating deputies')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recorded_activities', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('town', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='congress.town', verbose_name='town')),
                        ('venue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='congress.venue', verbose_name='venue')),
                    ],
                    options={
                        'verbose_name': 'activity',
                        'verbose_name_plural': 'activities',
                        'db_table': 'congress_activity',
                        'ordering': ['town_id', '-held_on', '-pk'],
                        'indexes': [models.Index(fields=['town', 'held_on'], name='activity_town_date')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['inspection', 'check', 'research', 'training']), ('kind__in', ['lecture', 'group', 'report_back', 'commendation']), _connector='OR'), name='activity_kind_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='ReceptionDuty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on_date', models.DateField(verbose_name='date')),
                        ('deputies', models.ManyToManyField(db_table='congress_receptionduty_deputies', related_name='reception_duties', to='congress.deputy', verbose_name='deputies on duty')),
                        ('town', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reception_duties', to='congress.town', verbose_name='town')),
                        ('venue', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reception_duties', to='congress.venue', verbose_name='liaison station')),
                    ],
                    options={
                        'verbose_name': 'reception day',
                        'verbose_name_plural': 'reception days',
                        'db_table': 'congress_receptionduty',
                        'ordering': ['town_id', 'on_date', 'venue_id'],
                        'constraints': [models.UniqueConstraint(fields=('venue', 'on_date'), name='reception_duty_once_per_day')],
                    },
                ),
            ],
        ),
        relabel_content_types("congress", "duty", MOVED),
    ]
