"""Kubernetes for CloudOps Bot: inspect, diagnose, plan fixes, apply approved plans.

    access = ClusterAccess.from_environment()             # or ClusterAccess(api_client)
    diagnosis = await diagnose_deployment(access, "default", "nginx")
    plan = diagnosis.findings[0].plan                        # FixPlan | None
    rendered = plan.render(deployment, replica_sets)         # patches + before→after diff
    result = await apply_plan(plan, access)                  # only after human approval
    undo_plan = await undo(result, access)                   # approve again, then apply

``cluster.executor`` is the only module that changes the cluster.
"""

from cluster.access import ClusterAccess
from cluster.diagnose import Diagnosis, RuleFailure, diagnose_deployment, diagnose_namespace
from cluster.errors import (
    ClusterApiError,
    ClusterError,
    ClusterUnavailable,
    Conflict,
    DryRunRejected,
    NotFound,
    PlanError,
)
from cluster.executor import ApplyResult, apply_plan, undo
from cluster.finding import Finding, Severity
from cluster.plans import FixPlan, PlanLimits, RenderedPlan, Target
from cluster.proposal import preview_plan, propose_plan
from cluster.snapshot import ContainerUsage, WorkloadSnapshot

__all__ = [
    "ClusterAccess",
    "diagnose_deployment",
    "diagnose_namespace",
    "Diagnosis",
    "RuleFailure",
    "Finding",
    "Severity",
    "WorkloadSnapshot",
    "ContainerUsage",
    "FixPlan",
    "Target",
    "PlanLimits",
    "RenderedPlan",
    "propose_plan",
    "preview_plan",
    "apply_plan",
    "undo",
    "ApplyResult",
    "ClusterError",
    "ClusterApiError",
    "ClusterUnavailable",
    "NotFound",
    "Conflict",
    "DryRunRejected",
    "PlanError",
]
