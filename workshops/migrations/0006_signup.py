from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from workshops.planning.models import WorkshopStatus
from workshops.signup.models import AttendanceStatus, RegistrationStatus
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('workshops', '0005_wire_booking_sequence_room_feed')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SignupAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'signup_attempt', 'app': 'workshops', 'indexes': [Index(fields=['key', 'created_at'], name='signup_attempt_key_time')], 'pk_attr': 'id', 'table_description': 'One public sign-up attempt from an address, counted by the per-IP rate limit.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Theme',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('prenatal', fields.BooleanField(default=False)),
                ('min_age_months', fields.SmallIntField(null=True)),
                ('max_age_months', fields.SmallIntField(null=True)),
                ('default_duration_minutes', fields.SmallIntField(default=90)),
                ('default_group_size', fields.SmallIntField(default=8)),
                ('what_to_bring', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'theme', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'A kind of workshop [type d’atelier], managed by coordinators.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Workshop',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('workshops.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='workshops', on_delete=OnDelete.RESTRICT)),
                ('theme', fields.ForeignKeyField('workshops.Theme', source_field='theme_id', db_constraint=True, to_field='id', related_name='workshops', on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('capacity', fields.SmallIntField()),
                ('places_taken', fields.SmallIntField(default=0)),
                ('prenatal', fields.BooleanField(default=False)),
                ('min_age_months', fields.SmallIntField(null=True)),
                ('max_age_months', fields.SmallIntField(null=True)),
                ('registration_opens_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('registration_closes_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=WorkshopStatus.DRAFT, description='DRAFT: draft\nPUBLISHED: published\nCANCELLED: cancelled\nDONE: done', enum_type=WorkshopStatus, max_length=12)),
                ('created_by', fields.ForeignKeyField('workshops.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='created_workshops', on_delete=OnDelete.SET_NULL)),
                ('cancel_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'workshop', 'app': 'workshops', 'indexes': [Index(fields=['status', 'organisation_id'], name='workshop_status_org')], 'pk_attr': 'id', 'table_description': 'What families sign up for [atelier], draft then published then cancelled or done.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EligibleCommune',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('workshop', fields.ForeignKeyField('workshops.Workshop', source_field='workshop_id', db_constraint=True, to_field='id', related_name='communes', on_delete=OnDelete.CASCADE)),
                ('commune', fields.CharField(max_length=100)),
                ('quota', fields.SmallIntField(null=True)),
                ('places_taken', fields.SmallIntField(default=0)),
            ],
            options={'table': 'workshop_commune', 'app': 'workshops', 'unique_together': (('workshop', 'commune'),), 'pk_attr': 'id', 'table_description': 'A commune whose residents may sign up, with an optional quota of places.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Facilitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('workshop', fields.ForeignKeyField('workshops.Workshop', source_field='workshop_id', db_constraint=True, to_field='id', related_name='facilitators', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('workshops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='facilitations', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'workshop_facilitator', 'app': 'workshops', 'unique_together': (('workshop', 'user'),), 'pk_attr': 'id', 'table_description': 'A facilitator who leads a workshop [animatrice], the first one or a co-facilitator.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Registration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('workshop', fields.ForeignKeyField('workshops.Workshop', source_field='workshop_id', db_constraint=True, to_field='id', related_name='registrations', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(description='CONFIRMED: confirmed\nWAITLISTED: waitlisted\nCANCELLED: cancelled', enum_type=RegistrationStatus, max_length=12)),
                ('places', fields.SmallIntField()),
                ('parent_name', fields.CharField(max_length=150)),
                ('email', fields.CharField(max_length=254)),
                ('phone', fields.CharField(default='', max_length=30)),
                ('commune', fields.CharField(max_length=100)),
                ('adults', fields.SmallIntField(default=1)),
                ('children', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('first_time', fields.BooleanField(default=True)),
                ('heard_from', fields.CharField(default='', max_length=40)),
                ('needs', fields.TextField(default='', unique=False)),
                ('reminders_consent', fields.BooleanField(default=False)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('registered_by', fields.ForeignKeyField('workshops.User', source_field='registered_by_id', null=True, db_constraint=True, to_field='id', related_name='registrations_made', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('anonymised_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'registration', 'app': 'workshops', 'unique_together': (('workshop', 'email'),), 'indexes': [Index(fields=['workshop_id', 'status'], name='registration_workshop_status')], 'pk_attr': 'id', 'table_description': 'A sign-up of a family to a workshop [inscription], ids in order of arrival.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('workshop', fields.ForeignKeyField('workshops.Workshop', source_field='workshop_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('booking', fields.ForeignKeyField('workshops.RoomBooking', source_field='booking_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.RESTRICT)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sequence', fields.IntField(default=0)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.TextField(default='', unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'workshop_session', 'app': 'workshops', 'indexes': [Index(fields=['workshop_id', 'starts_at'], name='session_workshop_start'), Index(fields=['starts_at'], name='session_start')], 'pk_attr': 'id', 'table_description': 'One meeting of a workshop [séance], held in a room booking.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attendance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('workshops.Registration', source_field='registration_id', db_constraint=True, to_field='id', related_name='attendances', on_delete=OnDelete.CASCADE)),
                ('session', fields.ForeignKeyField('workshops.Session', source_field='session_id', db_constraint=True, to_field='id', related_name='attendances', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='PRESENT: present\nEXCUSED: excused\nABSENT: absent', enum_type=AttendanceStatus, max_length=10)),
                ('recorded_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'attendance', 'app': 'workshops', 'unique_together': (('registration', 'session'),), 'pk_attr': 'id', 'table_description': 'Whether a registered family came to one session [présence].'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReminderSent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration', fields.ForeignKeyField('workshops.Registration', source_field='registration_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('session', fields.ForeignKeyField('workshops.Session', source_field='session_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'session_reminder', 'app': 'workshops', 'unique_together': (('registration', 'session'),), 'pk_attr': 'id', 'table_description': 'A reminder queued for one registration and one session, never queued twice.'},
            bases=['Model'],
        ),
    ]
