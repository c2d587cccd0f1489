"""Fix plans: typed operations from an allow-list, rendered to patches and diffs."""

from cluster.plans.base import JSON_PATCH, STRATEGIC, Patch, PlanLimits, RenderContext
from cluster.plans.diff import DiffLine, diff_specs, render_diff
from cluster.plans.objects import OBJECT_KINDS
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
from cluster.plans.rerun import RERUN_OF, DeleteRerunJob, RerunJob, rerun_name
from cluster.plans.resources import PatchResources
from cluster.plans.restart import RolloutRestart
from cluster.plans.restore import RestoreTemplate
from cluster.plans.rollback import RollbackToPrevious, template_digest
from cluster.plans.scale import ScaleReplicas
from cluster.plans.selector import SetServiceSelector
from cluster.plans.switches import CordonNode, ResumeCronJob, SuspendCronJob, UncordonNode

__all__ = [
    "OPERATIONS",
    "Operation",
    "PatchProbe",
    "PatchResources",
    "ScaleReplicas",
    "RolloutRestart",
    "RollbackToPrevious",
    "RestoreTemplate",
    "ResumeCronJob",
    "SuspendCronJob",
    "UncordonNode",
    "CordonNode",
    "SetServiceSelector",
    "RerunJob",
    "DeleteRerunJob",
    "RERUN_OF",
    "OBJECT_KINDS",
    "rerun_name",
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
