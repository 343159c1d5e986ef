from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

from workshops.evaluation import forgetting


async def install_triggers(apps, schema_editor):
    """The triggers that forget kept figures (see workshops/evaluation/forgetting.py)."""
    await forgetting.install(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('workshops', '0010_commune_codes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='KeptFigures',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('frame', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('token', fields.CharField(default='', max_length=32)),
                ('figures', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('kept_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('asked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'evaluation_kept', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'The figures of one finished period for one scope, computed once and kept until a change'},
            bases=['Model'],
        ),
        ops.RunPython(install_triggers),
    ]
