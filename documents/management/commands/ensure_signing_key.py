"""Make the development PDF signing key and self-signed certificate if they are missing (var/signing/).

`make run` and `make test` call it, and so does the test session. With PDF_SIGNING_KEY/PDF_SIGNING_CERT
configured it only checks that those files exist: a production key is provided, never generated."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.signing import SigningUnavailable, make_development_key


class Command(BaseCommand):
    help = "Make the development PDF signing key and certificate if missing."

    def handle(self, *args, **options):
        try:
            made = make_development_key()
        except SigningUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if made:
            self.stdout.write(
                f"Made a development signing key and certificate in {settings.PDF_SIGNING_DEV_DIR}"
            )
