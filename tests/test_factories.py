import pytest

from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_application_factory_grades_to_the_level_asked(personas, level):
    app = factories.application(personas.enterprise, level=level)
    version = app.versions.get()
    assert version.result["level"] == level
    assert version.result["score"] == "100.00"
    assert app.self_level == level
