"""``manage.py api_token create|list|revoke``: the API's tokens from the command line (the bureau's page
`/bureau/api-tokens/` does the same). The token is printed once, when it is made; only its hash is kept.

    manage.py api_token create --name "市经信局数据平台" --scope bureau
    manage.py api_token create --name "评测中心系统" --scope agency --agency 91110113XXXXXXXXXX
    manage.py api_token list
    manage.py api_token revoke syapi_AbC123
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from api import services
from api.models import ApiToken, TokenScope
from core.display import local_text
from core.errors import DomainError


class Command(BaseCommand):
    help = "Create, list or revoke JSON API tokens (the token is shown once, at creation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token and print it (once)")
        create.add_argument("--name", required=True, help="the system that will use it")
        create.add_argument("--scope", required=True, choices=TokenScope.values)
        create.add_argument("--agency", help="the agency's 统一社会信用代码 (scope agency)")
        sub.add_parser("list", help="every token: prefix, scope, organisation, last use, state")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix or id")
        revoke.add_argument("token", help="the prefix shown by `list` (syapi_…) or the id")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, name, scope, agency=None, **options):
        found = None
        if agency:
            found = Agency.objects.filter(credit_code=agency.strip().upper()).first()
            if found is None:
                raise CommandError(f"agency: no agency with credit code {agency}")
        try:
            token, secret = services.create_token(name=name, scope=scope, agency=found)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stderr.write(f"Created token {token.pk} ({token.prefix}…). Store it now: it is not shown again.")
        self.stdout.write(secret)

    def _list(self, **options):
        for token in ApiToken.objects.select_related("agency").order_by("id"):
            state = f"revoked {local_text(token.revoked_at)}" if token.revoked_at else "active"
            used = local_text(token.last_used_at) or "never used"
            org = token.agency.name if token.agency_id else "bureau"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.scope}\t{org}\t{token.name}\t{used}\t{state}"
            )

    def _revoke(self, *, token, **options):
        qs = ApiToken.objects.all()
        found = (
            qs.filter(pk=int(token)).first()
            if token.isdigit()
            else qs.filter(prefix=token.rstrip("…")).first()
        )
        if found is None:
            raise CommandError(f"token: no token {token}")
        services.revoke_token(token=found)
        self.stdout.write(f"Revoked token {found.pk} ({found.prefix}…).")
