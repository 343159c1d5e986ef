from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('workshops', '0006_signup')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EvaluationRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('convention', fields.ForeignKeyField('workshops.Convention', source_field='convention_id', db_constraint=True, to_field='id', related_name='evaluations', on_delete=OnDelete.RESTRICT)),
                ('year', fields.SmallIntField()),
                ('figures', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('frozen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('pmi_comment', fields.TextField(default='', unique=False)),
                ('pmi_signed_by', fields.ForeignKeyField('workshops.User', source_field='pmi_signed_by_id', null=True, db_constraint=True, to_field='id', related_name='pmi_evaluations', on_delete=OnDelete.SET_NULL)),
                ('pmi_signed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('partner_comment', fields.TextField(default='', unique=False)),
                ('partner_signed_by', fields.ForeignKeyField('workshops.User', source_field='partner_signed_by_id', null=True, db_constraint=True, to_field='id', related_name='partner_evaluations', on_delete=OnDelete.SET_NULL)),
                ('partner_signed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'evaluation_record', 'app': 'workshops', 'unique_together': (('convention', 'year'),), 'pk_attr': 'id', 'table_description': 'The evaluation of one convention year, signed by both parties.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Registration',
            name='family_key',
            field=fields.CharField(default='', db_default='', max_length=32),
        ),
    ]
