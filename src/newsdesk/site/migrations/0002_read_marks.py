# The reader signal's salts and marks (site.models), 2026-12-08.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('site', '0001_desk_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReadMark',
            fields=[
                ('key', models.CharField(max_length=32, primary_key=True, serialize=False)),
                ('uses', models.PositiveIntegerField(default=1)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name='ReadSalt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True)),
                ('salt', models.CharField(max_length=64)),
            ],
        ),
    ]
