from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('workshops', '0004_conventions')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='CalendarFeed',
            options={'table': 'calendar_feed', 'app': 'workshops', 'pk_attr': 'id', 'table_description': 'Exactly one owner is set: a user, an organisation or a room (what each feed shows).'},
        ),
        ops.AddField(
            model_name='CalendarFeed',
            name='room',
            field=fields.OneToOneField('workshops.Room', source_field='room_id', null=True, db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='RoomBooking',
            name='sequence',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
