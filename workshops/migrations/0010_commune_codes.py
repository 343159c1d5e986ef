from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('workshops', '0009_staff_sessions')]

    initial = False

    operations = [
        ops.AddField(
            model_name='EligibleCommune',
            name='commune_code',
            field=fields.CharField(default='', db_default='', max_length=5),
        ),
        ops.AddField(
            model_name='Registration',
            name='commune_code',
            field=fields.CharField(default='', db_default='', max_length=5),
        ),
    ]
