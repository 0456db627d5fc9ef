"""Chain every audit entry to the one before it, and let the database refuse tampering.

- `at` is no longer filled in by Django's auto_now_add: the app dates each entry by the
  database clock under the chain lock (`sealing.py`).
- Entries already in the log are sealed in id order, as they stand today.
- An insert trigger (both engines) refuses an entry that does not follow the latest one,
  is dated before it, or is not dated now; on SQLite a delete trigger now refuses DELETE
  too (tests that empty the database drop it for the purpose, see tests/conftest.py).

The trigger finds the table through its own schema, never the search path, so a
temporary table of the same name cannot stand in for it.
"""

from django.db import migrations, models

from saferhub.web.audit.chain import GENESIS, HASHED_FIELDS, entry_hash

LOCK_KEY = 7_245_330_104  # sealing.CHAIN_LOCK_KEY, copied so this migration never changes
TOLERANCE_SECONDS = 60

# Both are built from this module's own constants only, never from input.
PG_CHAIN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION saferhub_audit_chain() RETURNS trigger AS $$
DECLARE
  latest record;
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  EXECUTE format('SELECT id, hash, at FROM %I.%I ORDER BY id DESC LIMIT 1',
                 TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO latest;
  IF latest.id IS NOT NULL THEN
    IF NEW.prev_hash IS DISTINCT FROM latest.hash OR NEW.id <= latest.id THEN
      RAISE EXCEPTION 'An audit entry must follow the latest entry.';
    END IF;
    IF NEW.at < latest.at THEN
      RAISE EXCEPTION 'An audit entry cannot be dated before the latest entry.';
    END IF;
  ELSIF NEW.prev_hash IS DISTINCT FROM '{GENESIS}' THEN
    RAISE EXCEPTION 'The first audit entry must start the chain.';
  END IF;
  IF NEW.at IS NULL
     OR NEW.at < clock_timestamp() - interval '{TOLERANCE_SECONDS} seconds'
     OR NEW.at > clock_timestamp() + interval '{TOLERANCE_SECONDS} seconds' THEN
    RAISE EXCEPTION 'An audit entry must be dated now, by the database clock.';
  END IF;
  IF NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{{64}}$' THEN
    RAISE EXCEPTION 'An audit entry must carry its hash.';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;",
    f"""CREATE TRIGGER audit_chain BEFORE INSERT ON audit_auditevent BEGIN
  SELECT RAISE(ABORT, 'An audit entry must follow the latest entry.')
   WHERE NEW.prev_hash IS NOT COALESCE(
           (SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1), '{GENESIS}')
      OR NEW.id > 0 AND NEW.id <= (SELECT max(id) FROM audit_auditevent);
  SELECT RAISE(ABORT, 'An audit entry cannot be dated before the latest entry.')
   WHERE NEW.at < (SELECT at FROM audit_auditevent ORDER BY id DESC LIMIT 1);
  SELECT RAISE(ABORT, 'An audit entry must be dated now, by the database clock.')
   WHERE julianday(NEW.at) IS NULL
      OR abs(julianday(NEW.at) - julianday('now')) * 86400 > {TOLERANCE_SECONDS};
  SELECT RAISE(ABORT, 'An audit entry must carry its hash.')
   WHERE NEW.hash IS NULL OR length(NEW.hash) != 64;
END;""",  # noqa: S608
]
# SQLite rebuilds the table to alter a column, which drops its triggers: 0002's is restored.
SQLITE_UPDATE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;"
)


def seal_existing(apps, schema_editor):
    """Seal the entries written before the chain existed, in id order, as they stand."""
    vendor = schema_editor.connection.vendor
    event_model = apps.get_model("audit", "AuditEvent")
    if not event_model.objects.exists():
        return
    # The append-only trigger must step aside for this one-off, owner-run sealing.
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update;")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update;")
    previous = GENESIS
    rows = event_model.objects.order_by("id").values("id", *HASHED_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        digest = entry_hash(row, previous)
        event_model.objects.filter(pk=row["id"]).update(prev_hash=previous, hash=digest)
        previous = digest
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_update;")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE_TRIGGER)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CHAIN_FUNCTION, params=None)  # holds a literal %I
        schema_editor.execute(
            "CREATE TRIGGER audit_chain BEFORE INSERT ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION saferhub_audit_chain();"
        )
    elif vendor == "sqlite":
        for statement in [SQLITE_UPDATE_TRIGGER, *SQLITE_TRIGGERS]:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chain ON audit_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS saferhub_audit_chain();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chain;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_subjects")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("search", "Searched"),
                    ("create", "Created"),
                    ("update", "Updated"),
                    ("delete", "Deleted"),
                    ("export", "Exported"),
                    ("import", "Imported"),
                    ("sign-in", "Signed in"),
                    ("sign-out", "Signed out"),
                    ("sign-in-failed", "Sign-in failed"),
                    ("denied", "Access refused"),
                    ("alert", "Security alert"),
                ],
                db_index=True,
                max_length=16,
            ),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
