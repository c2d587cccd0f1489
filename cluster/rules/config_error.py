"""CreateContainerConfigError: a referenced ConfigMap/Secret (or one of its keys) is missing."""

from __future__ import annotations

import re

from cluster.finding import Finding
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "config_missing"
_MISSING_OBJECT = re.compile(r'^(configmap|secret) "([^"]+)" not found')
_MISSING_KEY = re.compile(r"couldn't find key (\S+) in (ConfigMap|Secret) [^/\s]+/(\S+)")


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for pod, status in snapshot.container_statuses():
        waiting = (status.get("state") or {}).get("waiting") or {}
        name = status["name"]
        if waiting.get("reason") != "CreateContainerConfigError" or name in findings:
            continue
        message = str(waiting.get("message", ""))
        evidence = {
            "pod": pod["metadata"]["name"],
            "message": message,
            "reference": "",
            "missing_key": "",
        }
        if match := _MISSING_OBJECT.match(message):
            kind = "ConfigMap" if match.group(1) == "configmap" else "Secret"
            evidence["reference"] = f"{kind}/{match.group(2)}"
        elif match := _MISSING_KEY.search(message):
            evidence["reference"] = f"{match.group(2)}/{match.group(3)}"
            evidence["missing_key"] = match.group(1)
            # Key names only (never values) help spot a typo.
            known = snapshot.config_keys.get(evidence["reference"], frozenset())
            evidence["available_keys"] = ", ".join(sorted(known))
        findings[name] = Finding(snapshot.key, PROBLEM, evidence, "critical", name)
    return list(findings.values())
