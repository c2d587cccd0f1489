"""ConfigMaps (k8sgpt's ConfigMap analyzer): one without any key (empty), and one no pod
or pod template refers to (volumes, projected volumes, env, envFrom) — unused. Both are
informational. Key names only, from ``NamespaceView.config_keys``: values are never read
into a finding.

Reading ConfigMaps needs ``list configmaps``, which the read-only ClusterRole deliberately
does not grant (they often carry credentials); without it the view holds none and this
analyzer stays silent. ``kube-root-ca.crt`` (published into every namespace) is never
"unused"; nor is anything while a kind with pod templates is unreadable."""

from __future__ import annotations

from cluster.analyzers.templates import TEMPLATE_FIELDS, containers, pod_specs
from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "ConfigMap"
PROBLEMS = ("configmap_empty", "configmap_unused")
PUBLISHED = frozenset({"kube-root-ca.crt"})


def references(spec: Json) -> set[str]:
    """Names of the ConfigMaps a pod spec refers to."""
    names: set[str] = set()
    for volume in spec.get("volumes") or []:
        names.add(str((volume.get("configMap") or {}).get("name") or ""))
        for source in (volume.get("projected") or {}).get("sources") or []:
            names.add(str((source.get("configMap") or {}).get("name") or ""))
    for container in containers(spec):
        for env in container.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("configMapKeyRef") or {}
            names.add(str(ref.get("name") or ""))
        for source in container.get("envFrom") or []:
            names.add(str((source.get("configMapRef") or {}).get("name") or ""))
    return names - {""}


def check(view: NamespaceView) -> list[Finding]:
    config_maps = {
        ref.split("/", 1)[1]: keys
        for ref, keys in view.config_keys.items()
        if ref.startswith("ConfigMap/")
    }
    judge_use = not set(TEMPLATE_FIELDS) & set(view.unreadable)
    specs = [spec for _, spec in pod_specs(view)] + [p.get("spec") or {} for p in view.pods]
    used = {name for spec in specs for name in references(spec)}
    findings: list[Finding] = []
    for name, keys in sorted(config_maps.items()):
        key = view.key(KIND, name)
        if not keys:
            findings.append(Finding(key, PROBLEMS[0], {"configmap": name}, "info"))
        if judge_use and name not in used and name not in PUBLISHED:
            evidence = {"configmap": name, "keys": str(len(keys))}
            findings.append(Finding(key, PROBLEMS[1], evidence, "info"))
    return findings
