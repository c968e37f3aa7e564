"""The bureau's dashboard (监督管理首页). Its lists are exported in the background (supervision.tasks); only the
small scenario × level matrix is made in the request."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import permission_required
from core.replica import reads_from_replica

from .. import charts, exports, selectors
from ..forms import DashboardFilterForm
from .common import export_params, filter_query, xlsx_response


def _filters(request):
    form = DashboardFilterForm(request.GET or None)
    return form, form.filters()


@permission_required("supervision.use_portal")
@require_GET
@reads_from_replica  # figures only: they may come from a read replica (core.replica); the user is read before
def home(request):
    form, filters = _filters(request)
    data = selectors.dashboard(**filters)
    svg = {
        "states": charts.bar_chart([(label, n) for _v, label, n in data["states"]], title=_("各状态申请数")),
        "levels": charts.bar_chart(
            [(_("%(n)d级") % {"n": lvl}, n) for lvl, n in data["levels"]],
            title=_("等级分布"),
            color=charts.PALETTE[1],
        ),
        "heatmap": charts.heatmap(
            [f"{code} {name}" for code, name, _c, _v in data["heatmap"]],
            [_("%(n)d级") % {"n": i} for i in data["scenario_levels"]],
            [counts for _c, _n, _k, counts in data["heatmap"]],
            title=_("场景×等级分布"),
        ),
        "radar": charts.radar(
            [(name, points) for _code, name, points in selectors.dimensions()],
            [(_("平均得分"), [avg for _c, _n, avg in data["dimension_avg"]])],
            title=_("各维度平均得分"),
        ),
        "ages": charts.bar_chart(
            [(label, avg) for _s, label, _n, avg, _max in data["stage_ages"]],
            title=_("各环节平均停留天数"),
            color=charts.PALETTE[2],
        ),
    }
    return render(
        request,
        "supervision/home.html",
        {
            "form": form,
            "data": data,
            "svg": svg,
            "query": filter_query(request),
            "export_params": export_params(request),
        },
    )


@permission_required("supervision.use_portal")
@require_GET
def export_matrix(request):
    _form, filters = _filters(request)
    return xlsx_response(
        exports.scenario_matrix(selectors.dashboard(**filters)["heatmap"]), "场景等级矩阵.xlsx"
    )
