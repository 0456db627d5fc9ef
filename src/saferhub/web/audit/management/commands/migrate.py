"""Django's `migrate`, run as the database owner when SAFERHUB_MIGRATE_DATABASE_URL is set.

The app's own connection (DATABASE_URL) owns nothing and cannot change the schema, so
migrations need the owner's; every way of running them (`saferhub manage migrate`,
`saferhub demo`, `django-admin migrate`) goes through here.
"""

from __future__ import annotations

from django.core.management.commands.migrate import Command as DjangoMigrate

from saferhub.web.audit.roles import owner_connection


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with owner_connection(options["database"]):
            return super().handle(*args, **options)
