"""The store's tables, made or upgraded by its own schema steps; the models over them (unmanaged).

Reversing it keeps the tables and their rows: drop them by hand if that is meant.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import migrations, models

import aftersales.contrib.django.fields
from aftersales.contrib.django.schema import upgrade_schema


class Migration(migrations.Migration):
    """Run the schema steps, then record the unmanaged models in Django's state."""

    initial = True
    dependencies: ClassVar[list[tuple[str, str]]] = []

    operations: ClassVar[list[migrations.operations.base.Operation]] = [
        migrations.RunPython(upgrade_schema, migrations.RunPython.noop, atomic=False),
        migrations.CreateModel(
            name="Customer",
            fields=[
                ("id", models.TextField(primary_key=True, serialize=False)),
                ("name", models.TextField()),
                ("data", models.TextField()),
            ],
            options={
                "verbose_name": "customer 客户",
                "db_table": "customers",
                "ordering": ("id",),
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="Ticket",
            fields=[
                ("id", models.TextField(primary_key=True, serialize=False)),
                ("version", models.IntegerField()),
                ("status", models.TextField()),
                ("priority", models.TextField()),
                ("customer_id", models.TextField(verbose_name="customer id")),
                ("assignee", models.TextField(null=True)),
                ("channel", models.TextField()),
                ("category", models.TextField()),
                ("product_model", models.TextField(null=True)),
                ("is_open", models.BooleanField()),
                ("received_at", aftersales.contrib.django.fields.StoredTime()),
                ("updated_at", aftersales.contrib.django.fields.StoredTime()),
                ("due_at", aftersales.contrib.django.fields.StoredTime(null=True)),
                ("snapshot", models.TextField(null=True)),
                ("next_alert_at", aftersales.contrib.django.fields.StoredTime(null=True)),
                ("first_alert_at", aftersales.contrib.django.fields.StoredTime(null=True)),
                ("substatus", models.TextField(null=True)),
                ("ticket_type", models.TextField(null=True, verbose_name="type")),
            ],
            options={
                "verbose_name": "ticket 工单",
                "db_table": "tickets",
                "ordering": ("-received_at", "id"),
                "managed": False,
            },
        ),
    ]
