from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from workshops.mail.models import MailStatus
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('workshops', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('user', fields.OneToOneField('workshops.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE)),
                ('organisation', fields.OneToOneField('workshops.Organisation', source_field='organisation_id', null=True, db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'calendar_feed', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'Exactly one owner is set: a user (sessions they lead) or an organisation (its bookings).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('queued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('template', fields.CharField(max_length=100)),
                ('recipient', fields.CharField(max_length=254)),
                ('subject', fields.CharField(max_length=300)),
                ('text_body', fields.TextField(unique=False)),
                ('html_body', fields.TextField(unique=False)),
                ('calendar', fields.TextField(default='', unique=False)),
                ('calendar_method', fields.CharField(default='', max_length=20)),
                ('message_id', fields.CharField(unique=True, max_length=200)),
                ('sensitive', fields.BooleanField(default=False)),
                ('status', fields.CharEnumField(default=MailStatus.QUEUED, description='QUEUED: queued\nSENDING: sending\nSENT: sent\nFAILED: failed', enum_type=MailStatus, max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claim_token', fields.CharField(default='', max_length=32)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'workshops', 'indexes': [Index(fields=['status', 'next_attempt_at'], name='outbox_message_due'), Index(fields=['created_at'], name='outbox_message_time')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MailAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.ForeignKeyField('workshops.OutboxMessage', source_field='message_id', db_constraint=True, to_field='id', related_name='attempt_log', on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(unique=False)),
            ],
            options={'table': 'outbox_attempt', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'One failed attempt to send a message, with what the server or the network said.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('workshops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'password_reset', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'A one-time link to choose a new password, valid one hour. Only its SHA-256 is kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordResetRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'password_reset_request', 'app': 'workshops', 'indexes': [Index(fields=['key', 'created_at'], name='password_reset_request_key_time')], 'pk_attr': 'id', 'table_description': 'One request for a password reset link, counted per address and per IP.'},
            bases=['Model'],
        ),
    ]
