"""Until the enterprise portal (issue-3b) lands, the lifecycle's notifications link to
`assessments:application`, which does not exist yet: this URLconf adds a stand-in for that one name."""

from django.http import HttpResponse
from django.urls import include, path

import assessments.urls
import shunyi_eval.urls


def _application(request, pk):
    return HttpResponse(status=404)


urlpatterns = [
    path(
        "enterprise/",
        include(
            (
                [
                    *assessments.urls.urlpatterns,
                    path("applications/<int:pk>/", _application, name="application"),
                ],
                "assessments",
            )
        ),
    ),
    *[p for p in shunyi_eval.urls.urlpatterns if str(p.pattern) != "enterprise/"],
]
