"""Backing up and restoring the database: SQLite's online backup, or pg_dump and pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from tracker.caching import bump


class BackupError(RuntimeError):
    """A backup or restore that could not be made, with what to do about it."""


def _postgres_env(alias: str) -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for the database, without putting the password on argv."""
    settings = connections[alias].settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed; it comes with PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _sqlite(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection  # the live sqlite3 connection


def backup(path: Path, *, alias: str = "default") -> None:
    """Write a consistent copy of the database to `path` while it keeps serving."""
    vendor = connections[alias].vendor
    path.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        # The online backup API copies page by page under SQLite's own locking: readers and
        # writers carry on, and the copy is one consistent state of the database.
        target = sqlite3.connect(path)
        try:
            _sqlite(alias).backup(target)
        finally:
            target.close()
    elif vendor == "postgresql":
        args, env = _postgres_env(alias)
        # The custom format is compressed and lets pg_restore clean and recreate each object.
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args], env)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not an SQLite backup ({error}).") from None
        try:
            source.backup(_sqlite(alias))
        finally:
            source.close()
    elif vendor == "postgresql":
        args, env = _postgres_env(alias)
        connections[alias].close()  # pg_restore drops and recreates what this session reads
        _run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, str(path)],
            env,
        )  # fmt: skip
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")
    # The restore wrote behind Django's back: nothing kept from before it may be served.
    bump(using=alias)
