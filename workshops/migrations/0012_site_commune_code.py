from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('workshops', '0011_kept_figures')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Site',
            name='commune_code',
            field=fields.CharField(default='', db_default='', max_length=5),
        ),
    ]
