"""The read-only ClusterRole grants every list call /diagnose makes across kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cluster.inventory import CLUSTER_WIDE, CUSTOM, NAMESPACED

if TYPE_CHECKING:
    from tests.deploy.conftest import Manifests

# client API class → API group
GROUPS = {
    "CoreV1Api": "",
    "AppsV1Api": "apps",
    "BatchV1Api": "batch",
    "NetworkingV1Api": "networking.k8s.io",
    "PolicyV1Api": "policy",
    "StorageV1Api": "storage.k8s.io",
    "AdmissionregistrationV1Api": "admissionregistration.k8s.io",
    "ApiextensionsV1Api": "apiextensions.k8s.io",
}
# list method → plural resource
RESOURCES = {
    "list_namespaced_deployment": "deployments",
    "list_namespaced_stateful_set": "statefulsets",
    "list_namespaced_daemon_set": "daemonsets",
    "list_namespaced_job": "jobs",
    "list_namespaced_cron_job": "cronjobs",
    "list_namespaced_ingress": "ingresses",
    "list_namespaced_network_policy": "networkpolicies",
    "list_namespaced_persistent_volume_claim": "persistentvolumeclaims",
    "list_namespaced_pod_disruption_budget": "poddisruptionbudgets",
    "list_namespaced_limit_range": "limitranges",
    "list_ingress_class": "ingressclasses",
    "list_persistent_volume": "persistentvolumes",
    "list_storage_class": "storageclasses",
    "list_namespaced_service_account": "serviceaccounts",
    "list_validating_webhook_configuration": "validatingwebhookconfigurations",
    "list_mutating_webhook_configuration": "mutatingwebhookconfigurations",
    "list_custom_resource_definition": "customresourcedefinitions",
}


def test_every_diagnosis_list_call_is_granted(rendered: dict[str, Manifests], overlay: str) -> None:
    role = rendered[overlay].one("ClusterRole")
    granted = {
        (group, resource, verb)
        for rule in role["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }
    calls = list(NAMESPACED.values()) + list(CLUSTER_WIDE.values())
    assert {method for _, method in calls} == set(RESOURCES)  # a new call needs a row here
    for api, method in calls:
        assert (GROUPS[api], RESOURCES[method], "list") in granted, (api, method)
    for kind in CUSTOM.values():  # extension APIs, read through CustomObjectsApi
        for verb in ("get", "list", "watch"):
            assert (kind.group, kind.plural, verb) in granted, kind
