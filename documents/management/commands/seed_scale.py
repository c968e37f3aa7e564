"""Make a scale data set (issue 12): `manage.py seed_scale --enterprises 100000`. See documents.scale."""

from django.core.management.base import BaseCommand, CommandError

from documents.scale import RefusedDatabase, Seeder, check_database


class Command(BaseCommand):
    help = (
        "Add N invented enterprises with their cases, grades, evidence rows and audit trail (bulk inserts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, enterprises, seed, **options):
        if enterprises < 1:
            raise CommandError("--enterprises must be at least 1")
        try:
            check_database()
        except RefusedDatabase as exc:
            raise CommandError(str(exc)) from exc
        Seeder(enterprises=enterprises, seed=seed, out=self.stdout).seed()
        self.stdout.write(
            self.style.SUCCESS("Scale data ready; run `manage.py verify_audit` to check the chain.")
        )
