import pytest

from experts import services
from experts.samples import attach_evidence
from tests import factories


@pytest.fixture
def app_assigned(personas):
    """An application commissioned to the personas' agency (self-assessed 3级), no team yet."""
    app = factories.application(
        personas.enterprise, state="assigned", level=3, agency=personas.agency, by=personas.owner
    )
    attach_evidence(app, by=personas.owner)  # an image for Q2 and a PDF for S01 level 1
    return app


@pytest.fixture
def team_case(personas, app_assigned):
    """The agency admin has formed a team: expert (lead) and expert2 (member); nobody has declared yet."""
    services.form_team(
        application=app_assigned, by=personas.agency_admin, lead=personas.expert, members=[personas.expert2]
    )
    return app_assigned


#: Lowering these nine scenarios to level 2 leaves seven at level 3: the verified level falls from 3 to 2.
LOWERED = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09"]
