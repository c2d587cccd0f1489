"""The simulator answers SelfSubjectAccessReview to the real kubernetes client from its
configurable RBAC: everything allowed until a test denies a verb."""

from __future__ import annotations

from kubernetes import client

from sandbox.cluster import KubeSimulator, World


def _may(sim: KubeSimulator, verb: str, resource: str, namespace: str, sub: str = "") -> bool:
    api = client.AuthorizationV1Api(sim.api_client())
    attributes = client.V1ResourceAttributes(
        verb=verb, group="apps", resource=resource, subresource=sub or None, namespace=namespace
    )
    review = client.V1SelfSubjectAccessReview(
        spec=client.V1SelfSubjectAccessReviewSpec(resource_attributes=attributes)
    )
    answer = api.create_self_subject_access_review(review)
    return bool(answer.status.allowed)


def test_everything_is_allowed_until_a_verb_is_denied() -> None:
    with KubeSimulator(World()) as sim:
        assert _may(sim, "patch", "deployments", "shop", "scale")
        sim.rbac.deny("patch", "deployments/scale", group="apps", namespace="shop")
        assert not _may(sim, "patch", "deployments", "shop", "scale")
        assert _may(sim, "patch", "deployments", "shop")  # the deployment itself: still allowed
        assert _may(sim, "patch", "deployments", "other", "scale")  # another namespace
        sim.rbac.deny("list", "replicasets", group="apps")  # every namespace
        assert not _may(sim, "list", "replicasets", "other")
        sim.rbac.allow_all()
        assert _may(sim, "patch", "deployments", "shop", "scale")
