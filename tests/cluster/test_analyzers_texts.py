"""Every analyzer problem has catalogue text, and every finding of the tables renders in
both languages (no placeholder missing from its evidence)."""

from __future__ import annotations

from bot.texts.cluster import finding_detail, finding_title
from cluster.analyzers import ANALYZERS, PROBLEMS
from messages import LANGUAGES, catalogue
from tests.cluster import (
    test_analyzers_configmap,
    test_analyzers_crd,
    test_analyzers_customresource,
    test_analyzers_events,
    test_analyzers_gateway,
    test_analyzers_hpa_pdb,
    test_analyzers_ingress,
    test_analyzers_jobs,
    test_analyzers_log,
    test_analyzers_netpol,
    test_analyzers_node,
    test_analyzers_olm,
    test_analyzers_podmonitoring,
    test_analyzers_pods,
    test_analyzers_pvc,
    test_analyzers_resourceclaim,
    test_analyzers_security,
    test_analyzers_service,
    test_analyzers_webhook,
    test_analyzers_workloads,
)
from tests.cluster.kinds import view


def test_every_analyzer_problem_has_a_title_and_detail() -> None:
    keys = catalogue()
    for problems in PROBLEMS.values():
        for problem in problems:
            assert f"cluster.problem.{problem}.title" in keys
            assert f"cluster.problem.{problem}.detail" in keys


def _views() -> list:
    views = [p.values[0] for p in test_analyzers_service.CASES + test_analyzers_pvc.CASES]
    views += [view(nodes=[p.values[0]], pods=p.values[1]) for p in test_analyzers_node.CASES]
    views += [
        view(
            ingresses=[p.values[0]],
            services=test_analyzers_ingress.SERVICES,
            secret_names=p.values[1],
        )
        for p in test_analyzers_ingress.CASES
    ]
    web = test_analyzers_hpa_pdb.WEB
    views += [view(hpas=[p.values[0]], deployments=[web]) for p in test_analyzers_hpa_pdb.HPA_CASES]
    views += [view(budgets=[p.values[0]]) for p in test_analyzers_hpa_pdb.PDB_CASES]
    views += [view(jobs=[p.values[0]]) for p in test_analyzers_jobs.JOB_CASES]
    views += [view(cron_jobs=[p.values[0]]) for p in test_analyzers_jobs.CRON_CASES]
    views += [
        view(
            network_policies=p.values[0],
            pods=[test_analyzers_netpol.POD],
            services=[test_analyzers_netpol.SVC],
        )
        for p in test_analyzers_netpol.CASES
    ]
    views += [
        view(stateful_sets=[p.values[0]], pods=p.values[1])
        for p in test_analyzers_workloads.STS_CASES
    ]
    views += [view(daemon_sets=[p.values[0]]) for p in test_analyzers_workloads.DS_CASES]
    views += [
        view(network_policies=[p.values[0]], pods=[test_analyzers_netpol.POD])
        for p in test_analyzers_netpol.SCOPE_CASES
    ]
    sts = test_analyzers_workloads.sts
    claim = {"metadata": {"name": "data"}, "spec": {"storageClassName": "ssd"}}
    views.append(
        view(
            stateful_sets=[sts(serviceName="gone", volumeClaimTemplates=[claim])],
            storage_classes=[{"metadata": {"name": "fast"}}],
        )
    )
    views += [view(pods=p.values[0], events=p.values[1]) for p in test_analyzers_pods.CASES]
    views += [
        p.values[0]
        for module in (
            test_analyzers_webhook,
            test_analyzers_security,
            test_analyzers_events,
            test_analyzers_configmap,
        )
        for p in module.CASES
    ]
    olm = test_analyzers_olm
    views += [view(catalog_sources=[p.values[0]]) for p in olm.SOURCE_CASES]
    views += [view(cluster_service_versions=[p.values[0]]) for p in olm.CSV_CASES]
    views += [view(install_plans=[p.values[0]]) for p in olm.PLAN_CASES]
    views += [view(subscriptions=[p.values[0]]) for p in olm.SUB_CASES]
    views += [view(operator_groups=p.values[0], subscriptions=p.values[1]) for p in olm.GROUP_CASES]
    views += [
        view(cluster_catalogs=[p.values[0]], cluster_extensions=[olm.INSTALLED])
        for p in olm.CATALOG_CASES
    ]
    views += [view(cluster_extensions=[p.values[0]]) for p in olm.EXTENSION_CASES]
    monitoring = test_analyzers_podmonitoring
    views += [
        view(pod_monitorings=[p.values[0]], pods=monitoring.PODS, deployments=[monitoring.ORDERS])
        for p in monitoring.CASES
    ]
    logs = test_analyzers_log
    views += [
        view(pods=[logs.troubled("web-1", ready=False)], pod_logs=p.values[0])
        for p in logs.CHECK_CASES
    ]
    views += test_analyzers_gateway.VIEWS + test_analyzers_crd.VIEWS
    views += test_analyzers_resourceclaim.VIEWS + test_analyzers_customresource.VIEWS
    return views


def test_every_table_finding_renders() -> None:
    findings = [f for v in _views() for analyzer in ANALYZERS.values() for f in analyzer(v)]
    rendered = {problem for problems in PROBLEMS.values() for problem in problems}
    assert {f.problem for f in findings} == rendered  # the tables reach every problem
    for finding in findings:
        for lang in LANGUAGES:
            assert finding_title(finding, lang) and finding_detail(finding, lang)
