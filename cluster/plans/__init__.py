"""Fix plans: typed operations from an allow-list, rendered to patches and diffs."""

from cluster.plans.base import JSON_PATCH, STRATEGIC, Patch, PlanLimits, RenderContext
from cluster.plans.diff import DiffLine, diff_specs, render_diff
from cluster.plans.plan import (
    OPERATIONS,
    FixPlan,
    Operation,
    RenderedPlan,
    RenderedStep,
    Target,
    parse_operation,
)
from cluster.plans.probe import PatchProbe
from cluster.plans.resources import PatchResources
from cluster.plans.restart import RolloutRestart
from cluster.plans.restore import RestoreTemplate
from cluster.plans.rollback import RollbackToPrevious, template_digest
from cluster.plans.scale import ScaleReplicas

__all__ = [
    "OPERATIONS",
    "Operation",
    "PatchProbe",
    "PatchResources",
    "ScaleReplicas",
    "RolloutRestart",
    "RollbackToPrevious",
    "RestoreTemplate",
    "FixPlan",
    "Target",
    "RenderedPlan",
    "RenderedStep",
    "Patch",
    "PlanLimits",
    "RenderContext",
    "DiffLine",
    "diff_specs",
    "render_diff",
    "parse_operation",
    "template_digest",
    "STRATEGIC",
    "JSON_PATCH",
]
