from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('workshops', '0007_evaluation')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Attendance',
            index=Index(fields=['session_id'], name='attendance_session'),
        ),
        ops.AddIndex(
            model_name='Session',
            index=Index(fields=['booking_id'], name='session_booking'),
        ),
    ]
