from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from decimal import Decimal
from json import dumps, loads
from tortoise.fields.base import OnDelete
from workshops.rooms.models import BookingStatus, ClosureSource
from tortoise import fields
from tortoise.indexes import Index


class RunSQLOnPostgres(ops.RunSQL):
    """SQL that only PostgreSQL understands; SQLite skips it.

    Rule 3 (no two confirmed bookings of one room overlap) is an exclusion constraint on
    PostgreSQL; SQLite has none, and there the service checks inside a write transaction.
    """

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None and state_editor.DIALECT == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None and state_editor.DIALECT == "postgres":
            await super().database_backward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('workshops', '0002_mail_calendars_password_reset')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Site',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('workshops.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='sites', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=150)),
                ('address', fields.CharField(max_length=250)),
                ('postcode', fields.CharField(default='', max_length=10)),
                ('commune', fields.CharField(max_length=100)),
                ('access_notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'site', 'app': 'workshops', 'unique_together': (('organisation', 'name'),), 'pk_attr': 'id', 'table_description': 'An address of a centre [lieu].'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Room',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('site', fields.ForeignKeyField('workshops.Site', source_field='site_id', db_constraint=True, to_field='id', related_name='rooms', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=150)),
                ('capacity', fields.IntField()),
                ('surface_m2', fields.IntField(null=True)),
                ('equipment', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('step_free', fields.BooleanField(default=False)),
                ('accessibility_notes', fields.TextField(default='', unique=False)),
                ('hourly_value', fields.DecimalField(default=Decimal('0'), max_digits=7, decimal_places=2)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room', 'app': 'workshops', 'unique_together': (('site', 'name'),), 'pk_attr': 'id', 'table_description': 'A room of a site [salle], lent free of charge: `hourly_value` values the loan.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Availability',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room', fields.ForeignKeyField('workshops.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='availabilities', on_delete=OnDelete.CASCADE)),
                ('weekday', fields.SmallIntField()),
                ('start_minute', fields.SmallIntField()),
                ('end_minute', fields.SmallIntField()),
                ('valid_from', fields.DateField()),
                ('valid_until', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room_availability', 'app': 'workshops', 'indexes': [Index(fields=['room_id', 'weekday'], name='room_availability_room_day')], 'pk_attr': 'id', 'table_description': 'A weekly window when a room is offered [disponibilité], between two dates.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Closure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('site', fields.ForeignKeyField('workshops.Site', source_field='site_id', db_constraint=True, to_field='id', related_name='closures', on_delete=OnDelete.CASCADE)),
                ('room', fields.ForeignKeyField('workshops.Room', source_field='room_id', null=True, db_constraint=True, to_field='id', related_name='closures', on_delete=OnDelete.CASCADE)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('reason', fields.CharField(max_length=200)),
                ('source', fields.CharEnumField(default=ClosureSource.MANUAL, description='MANUAL: manual\nICS: ics', enum_type=ClosureSource, max_length=10)),
                ('import_uid', fields.CharField(default='', max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room_closure', 'app': 'workshops', 'indexes': [Index(fields=['site_id', 'starts_on'], name='room_closure_site_start')], 'pk_attr': 'id', 'table_description': 'Days when a site, or one of its rooms, is closed [fermeture], both dates included.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoomBooking',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room', fields.ForeignKeyField('workshops.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.RESTRICT)),
                ('requested_by', fields.ForeignKeyField('workshops.User', source_field='requested_by_id', db_constraint=True, to_field='id', related_name='room_bookings', on_delete=OnDelete.RESTRICT)),
                ('organisation', fields.ForeignKeyField('workshops.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='room_bookings', on_delete=OnDelete.RESTRICT)),
                ('series', fields.CharField(default='', max_length=32)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=BookingStatus.PENDING, description='PENDING: pending\nCONFIRMED: confirmed\nDECLINED: declined\nCANCELLED: cancelled', enum_type=BookingStatus, max_length=12)),
                ('message', fields.TextField(default='', unique=False)),
                ('decided_by', fields.ForeignKeyField('workshops.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='room_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decline_reason', fields.TextField(default='', unique=False)),
                ('cancelled_by', fields.ForeignKeyField('workshops.User', source_field='cancelled_by_id', null=True, db_constraint=True, to_field='id', related_name='room_cancellations', on_delete=OnDelete.SET_NULL)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room_booking', 'app': 'workshops', 'indexes': [Index(fields=['room_id', 'starts_at'], name='room_booking_room_start'), Index(fields=['status', 'starts_at'], name='room_booking_status_start'), Index(fields=['series'], name='room_booking_series'), Index(fields=['requested_by_id', 'starts_at'], name='room_booking_requester')], 'pk_attr': 'id', 'table_description': 'A room for a time range, asked by a facilitator [réservation de salle].'},
            bases=['Model'],
        ),
        RunSQLOnPostgres(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                'ALTER TABLE "room_booking" ADD CONSTRAINT "room_booking_no_overlap" '
                'EXCLUDE USING gist ("room_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) '
                "WHERE (\"status\" = 'confirmed')",
            ],
            reverse_sql='ALTER TABLE "room_booking" DROP CONSTRAINT "room_booking_no_overlap"',
        ),
    ]
