"""Joins the two migrations written side by side after 0003: verdicts and the data version."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_data_version"),
        ("tracker", "0004_verdicts"),
    ]

    operations = []
