"""The insights app's part of ``seed_demo``: after every step has written its responses, recount the
monthly satisfaction aggregate the dashboards read for closed months (a bulk load bypasses the imports'
refresh)."""

from __future__ import annotations

from carebridge.core.demo.steps import DemoContext, register_finish
from carebridge.insights.services.aggregates import response_months_refresh


@register_finish(15, "monthly satisfaction aggregate")
def refresh_response_months(context: DemoContext) -> None:
    refresh = response_months_refresh()
    context.log(f"  monthly satisfaction aggregate: {refresh.rows} month × department rows")
