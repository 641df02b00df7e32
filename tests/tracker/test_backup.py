"""manage.py backup and restore: a backup restored gives back exactly what was backed up."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tracker.models import Attribution, Claim

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the project's apps, in key order."""
    rows = {}
    for label in ("articles", "tracker"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname for f in model._meta.concrete_fields if f.attname != "search_vector"
            ]
            manager = model._base_manager
            rows[model._meta.db_table] = list(manager.order_by("pk").values_list(*fields))
    return rows


def test_a_restored_backup_is_what_was_backed_up(tmp_path: Path, client):
    call_command("load_seeds", stdout=StringIO())
    before = snapshot()
    assert before["tracker_attribution"]
    file = tmp_path / "tracker.backup"
    out = StringIO()
    call_command("backup", str(file), stdout=out)
    assert file.stat().st_size > 0 and "Backed up" in out.getvalue()

    # What happens after the backup: an edit and a deletion, to be undone by the restore.
    Claim.objects.update(text="changed after the backup")
    Attribution.objects.filter(stance="asserts").delete()
    assert snapshot() != before
    assert "changed after the backup" in client.get("/claims/").content.decode()  # now kept

    call_command("restore", str(file), "--yes", stdout=StringIO())
    assert snapshot() == before
    # The restore wrote behind Django's back; the page kept from before it is not served.
    assert "changed after the backup" not in client.get("/claims/").content.decode()


def test_restore_asks_for_confirmation_and_names_a_missing_file(tmp_path: Path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
