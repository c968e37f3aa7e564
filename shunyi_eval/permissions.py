"""Every named permission of the site, in one place: each app's `rules.py` says what holds between a user and
its own objects; this module (loaded by ShunyiEvalConfig.ready) composes those predicates into what a person
may do. Views check these names through `accounts.access` (`permission_required`, `get_for`), the lifecycle
checks the transition's permission, templates ask `perms`/`has_perm`. A new right is added here, by name.

Object permissions take the object the view fetched (an Application unless noted).
"""

import rules

from accounts.rules import (
    is_agency_admin,
    is_agency_staff,
    is_bureau,
    is_enterprise_account_of,
    is_enterprise_user,
    is_expert,
    may_decide_access_request,
)
from assessments.rules import is_case_agency_admin, is_cleared_expert, is_editable, is_own_enterprise
from documents.models import ReportKind
from documents.rules import MAY_HAVE, may_have_report, may_see_reports
from experts.rules import (
    has_review_team,
    is_cleared_reviewer,
    is_in_working_state,
    is_part_of_review,
    is_review_lead,
    is_reviewer,
    is_team_editable,
)
from supervision.rules import (
    is_cleared_recheck_member,
    is_recheck_agency_admin,
    is_recheck_lead,
    is_recheck_member,
    is_recheck_open,
)

PERMISSIONS = {
    # --- areas of the site (no object): without it, the pages of that area do not exist (404) ---------------
    "accounts.enterprise_staff": is_enterprise_user,  # the enterprise's own account pages
    "assessments.use_portal": is_enterprise_user,  # the enterprise portal
    "experts.use_portal": is_agency_staff,  # the experts' and agency's pages
    "experts.manage_agency": is_agency_admin,  # the agency's experts and teams
    "experts.use_workbench": is_expert,  # an expert's own pages
    "supervision.use_portal": is_bureau,  # the bureau's pages
    "supervision.use_rechecks": is_agency_staff,  # the re-checking agencies' pages
    # --- an enterprise and its accounts (accounts), object: an Enterprise / an AccountClaim -------------------
    "accounts.manage_enterprise": is_enterprise_account_of,  # its profile and colleagues
    "accounts.decide_access_request": is_bureau | may_decide_access_request,
    # --- an enterprise's case (assessments) -------------------------------------------------------------
    "assessments.view_application": is_own_enterprise | is_bureau | is_case_agency_admin | is_cleared_expert,
    # Files are opened only by people bound by a conflict declaration (and the enterprise and the bureau): the
    # agency admin coordinates the case but does not declare, so they see the case, not its files (Evidence).
    "assessments.view_evidence": is_own_enterprise | is_bureau | is_cleared_expert,
    "assessments.edit_assessment": is_own_enterprise & is_editable,
    "assessments.remove_evidence": is_own_enterprise,
    "assessments.submit_application": is_own_enterprise,
    "assessments.withdraw_application": is_own_enterprise,
    # --- the bureau's acts on a case (supervision) ---------------------------------------------------------
    "supervision.view_case": is_bureau,
    "supervision.return_for_correction": is_bureau,
    "supervision.refuse_application": is_bureau,
    "supervision.accept_application": is_bureau,
    "supervision.commission_agency": is_bureau,
    "supervision.reassign_agency": is_bureau,
    "supervision.return_to_agency": is_bureau,
    "supervision.approve_grade": is_bureau,
    "supervision.revoke_grade": is_bureau,
    # --- the review (experts) -----------------------------------------------------------------------------
    "experts.declare_conflict": is_reviewer,
    # The case pages with the enterprise's data: the commissioned agency's admin, a cleared member.
    "experts.view_case": is_case_agency_admin | is_cleared_reviewer,
    "experts.form_team": is_case_agency_admin & is_team_editable,
    # The document review workbench, supplements, site inspection: cleared members only.
    "experts.review_case": is_cleared_reviewer & has_review_team,
    "experts.work_on_case": is_cleared_reviewer & is_in_working_state,
    "experts.lead_team": is_review_lead,
    "experts.compare": (is_case_agency_admin | is_cleared_reviewer) & has_review_team,
    "experts.start_review": is_case_agency_admin,
    "experts.start_site_visit": is_case_agency_admin | is_review_lead,
    "experts.submit_proposal": is_case_agency_admin,
    # An evidence file or an inspection photo of the review (the same rule for both; the admin does not open
    # them): a cleared member, and the file belongs to this review.
    "experts.open_review_files": is_cleared_reviewer,  # object: the Application
    "experts.view_review_file": is_cleared_reviewer & is_part_of_review,
    # --- re-checks (抽验复核), object: a Recheck ------------------------------------------------------------
    "supervision.declare_recheck_conflict": is_recheck_member,
    "supervision.view_recheck": is_recheck_agency_admin | is_cleared_recheck_member,
    "supervision.form_recheck_team": is_recheck_agency_admin & is_recheck_open,
    "supervision.record_recheck_outcome": is_recheck_lead & is_recheck_open,
    "supervision.decide_recheck": is_bureau,  # the follow-up on an outcome: confirm, change, revoke
    "supervision.configure_paper": is_bureau,  # the paper materials asked after a submission
    # --- the JSON API's tokens (api): bureau staff make and revoke them -------------------------------------
    "api.manage_tokens": is_bureau,
    # --- documents ----------------------------------------------------------------------------------------
    "documents.view_reports": may_see_reports,
    "documents.download_report": may_have_report,  # object: a Report
    **{f"documents.generate_{kind}": MAY_HAVE[kind] for kind in ReportKind.values},
}


def register() -> None:
    for name, predicate in PERMISSIONS.items():
        if not rules.perm_exists(name):
            rules.add_perm(name, predicate)
