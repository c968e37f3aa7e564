"""The paper materials the bureau asks for after a submission (纸质材料报送要求): the list, the address, the
deadline. The one state change: `configure_paper_instructions`. The enterprise sees them on its home and its
application page (assessments.models.PaperInstructions)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import PaperInstructions
from core.audit import record
from core.errors import DomainError


class PaperRefused(DomainError):
    code = "paper_refused"


@transaction.atomic
def configure_paper_instructions(
    *, by, items: str, address: str, deadline_days: int, contact: str = ""
) -> PaperInstructions:
    """Replace the bureau's paper instructions (the newest row counts; earlier rows stay as history)."""
    if not by.has_perm("supervision.configure_paper"):
        raise PermissionDenied
    lines = [line.strip() for line in (items or "").splitlines() if line.strip()]
    if not lines:
        raise PaperRefused(_("请至少列出一项纸质材料。"), field="items")
    address = (address or "").strip()
    if not address:
        raise PaperRefused(_("请填写报送地址。"), field="address")
    if not 1 <= int(deadline_days) <= 90:
        raise PaperRefused(_("报送期限应为提交后1至90天。"), field="deadline_days")
    instructions = PaperInstructions.objects.create(
        items="\n".join(lines),
        address=address,
        deadline_days=int(deadline_days),
        contact=(contact or "").strip(),
        updated_by=by,
    )
    record(
        actor=by,
        action="paper.configure",
        obj=instructions,
        params={"items": lines, "address": address, "deadline_days": int(deadline_days)},
    )
    return instructions
