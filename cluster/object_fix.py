"""``/fix cj/report``, ``/fix job/migrate``, ``/fix node/n1``, ``/fix svc/orders``: diagnose
one CronJob, Job, Node or Service and offer its one obvious, safe fix, if it has one (the
analyzers attach it to the finding), rendered against the object as it is now."""

from __future__ import annotations

from dataclasses import dataclass

from cluster.access import ClusterAccess
from cluster.diagnose import Diagnosis
from cluster.errors import NotFound, PlanError
from cluster.plans import OBJECT_KINDS, FixPlan, RenderedPlan
from cluster.proposal import preview_plan
from cluster.survey import survey_namespace
from cluster.targets import target_key

__all__ = ["ObjectFix", "propose_object_fix", "OBJECT_KINDS"]


@dataclass(frozen=True)
class ObjectFix:
    diagnosis: Diagnosis  # the object's findings (``target``: namespace/Kind/name)
    plan: FixPlan | None = None  # None: advice only
    rendered: RenderedPlan | None = None

    @property
    def chosen(self) -> tuple[FixPlan, RenderedPlan] | None:
        """What ``skills.fix.combined_plan`` gives for a workload: the plan and its render."""
        if self.plan is None or self.rendered is None:
            return None
        return self.plan, self.rendered


async def propose_object_fix(
    access: ClusterAccess, namespace: str, kind: str, name: str
) -> ObjectFix:
    """Raises ``NotFound`` for an unknown object, ``ClusterError`` if a read fails, and
    ValueError for a kind without such fixes (workloads go through ``diagnose_workload``).

    A Node is judged by the pods of ``namespace`` that wait for room ("default" when
    ``namespace`` is empty, as a Node plan's stored namespace is)."""
    if kind not in OBJECT_KINDS:
        raise ValueError(f"{kind} is not one of {OBJECT_KINDS}")
    namespace = namespace or "default"
    key = target_key(namespace, kind, name)
    survey = await survey_namespace(access, namespace, only=key)
    if survey.views and survey.views[0].find(kind, name) is None:
        raise NotFound(f"read {kind}", 404, "NotFound", f'{kind} "{name}" not found')
    findings = survey.objects[0].findings if survey.objects else ()
    diagnosis = Diagnosis(key, findings, survey.failures)
    for plan in (f.plan for f in findings if f.plan is not None):
        try:
            return ObjectFix(diagnosis, plan, await preview_plan(access, plan))
        except PlanError:
            continue  # no longer applies (the object changed since it was read)
    return ObjectFix(diagnosis)
