from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from workshops.partners.models import DocumentKind, ReminderKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('workshops', '0003_rooms')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Convention',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pmi', fields.ForeignKeyField('workshops.Organisation', source_field='pmi_id', db_constraint=True, to_field='id', related_name='pmi_conventions', on_delete=OnDelete.RESTRICT)),
                ('partner', fields.ForeignKeyField('workshops.Organisation', source_field='partner_id', db_constraint=True, to_field='id', related_name='partner_conventions', on_delete=OnDelete.RESTRICT)),
                ('reference', fields.CharField(default='', max_length=50)),
                ('starts_on', fields.DateField()),
                ('term_months', fields.SmallIntField(default=12)),
                ('tacit_renewal', fields.BooleanField(default=True)),
                ('max_years', fields.SmallIntField(default=5)),
                ('notice_months', fields.SmallIntField(default=3)),
                ('clauses', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('signed_on', fields.DateField(null=True)),
                ('terminated_on', fields.DateField(null=True)),
                ('termination_reason', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('workshops.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='conventions_created', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'convention', 'app': 'workshops', 'indexes': [Index(fields=['pmi_id'], name='convention_pmi'), Index(fields=['partner_id'], name='convention_partner')], 'pk_attr': 'id', 'table_description': 'A partnership convention between the PMI and a partner organisation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConventionDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('convention', fields.ForeignKeyField('workshops.Convention', source_field='convention_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='SIGNED_CONVENTION: signed_convention\nINSURANCE: insurance', enum_type=DocumentKind, max_length=20)),
                ('party', fields.ForeignKeyField('workshops.Organisation', source_field='party_id', null=True, db_constraint=True, to_field='id', related_name='convention_documents', on_delete=OnDelete.RESTRICT)),
                ('expires_on', fields.DateField(null=True)),
                ('stored_name', fields.CharField(unique=True, max_length=64)),
                ('original_name', fields.CharField(max_length=200)),
                ('size', fields.IntField()),
                ('uploaded_by', fields.ForeignKeyField('workshops.User', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='convention_documents', on_delete=OnDelete.SET_NULL)),
                ('uploaded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'convention_document', 'app': 'workshops', 'indexes': [Index(fields=['convention_id', 'kind'], name='convention_document_kind')], 'pk_attr': 'id', 'table_description': 'A PDF attached to a convention: the signed convention, or a party insurance certificate.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConventionReminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('convention', fields.ForeignKeyField('workshops.Convention', source_field='convention_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='NOTICE: notice\nRENEWAL: renewal\nEND: end\nCERTIFICATE: certificate', enum_type=ReminderKind, max_length=20)),
                ('due_on', fields.DateField()),
                ('reference', fields.CharField(default='', max_length=20)),
                ('recipients', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'convention_reminder', 'app': 'workshops', 'unique_together': (('convention', 'kind', 'due_on', 'reference'),), 'pk_attr': 'id', 'table_description': 'A reminder e-mailed to both parties: the unique key makes each one go out once.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConventionRoom',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('convention', fields.ForeignKeyField('workshops.Convention', source_field='convention_id', db_constraint=True, to_field='id', related_name='convention_rooms', on_delete=OnDelete.CASCADE)),
                ('room', fields.ForeignKeyField('workshops.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='convention_rooms', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'convention_room', 'app': 'workshops', 'unique_together': (('convention', 'room'),), 'pk_attr': 'id', 'table_description': 'A room of the partner centre covered by a convention.'},
            bases=['Model'],
        ),
    ]
