"""Pods, reported on the object a person would fix (their Deployment, StatefulSet, ...):
evicted pods, failing init containers, volumes from a missing ConfigMap/Secret/key."""

from __future__ import annotations

import re

from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Pod"
PROBLEMS = ("pod_evicted", "init_container_failing", "volume_source_missing")
# kubelet's FailedMount wording: 'MountVolume.SetUp failed for volume "cfg" : configmap
# "app-config" not found' / '... : secret "tls" not found' / '... references non-existent
# config key: port'.
_MISSING = re.compile(r'volume "([^"]+)" : (configmap|secret) "([^"]+)" not found')
_MISSING_KEY = re.compile(r'volume "([^"]+)" : .*non-existent (?:config|secret) key: (\S+)')
_INIT_FAILURES = {"CrashLoopBackOff", "Error", "ImagePullBackOff", "ErrImagePull"}


def _init_failure(pod: Json) -> tuple[str, str, str] | None:
    """(container, reason, exit) of the first failing init container."""
    for status in (pod.get("status") or {}).get("initContainerStatuses") or []:
        state = status.get("state") or {}
        waiting = state.get("waiting") or {}
        ended = state.get("terminated") or (status.get("lastState") or {}).get("terminated") or {}
        failed_exit = ended.get("exitCode") not in (None, 0)
        if waiting.get("reason") in _INIT_FAILURES or (failed_exit and not status.get("ready")):
            reason = str(waiting.get("reason") or ended.get("reason") or "Error")
            return str(status["name"]), reason, str(ended.get("exitCode", ""))
    return None


def _mount_failure(view: NamespaceView, pod: Json) -> dict[str, str] | None:
    name = str(pod["metadata"]["name"])
    for event in view.events_on(KIND, name, "FailedMount"):
        message = str(event.get("message", ""))
        if match := _MISSING.search(message):
            kind = "ConfigMap" if match.group(2) == "configmap" else "Secret"
            return {
                "volume": match.group(1),
                "reference": f"{kind}/{match.group(3)}",
                "missing_key": "",
            }
        if match := _MISSING_KEY.search(message):
            volume = match.group(1)
            return {
                "volume": volume,
                "reference": _source(pod, volume),
                "missing_key": match.group(2),
            }
    return None


def _source(pod: Json, volume: str) -> str:
    for item in (pod.get("spec") or {}).get("volumes") or []:
        if item.get("name") == volume:
            if "configMap" in item:
                return f"ConfigMap/{item['configMap'].get('name')}"
            if "secret" in item:
                return f"Secret/{item['secret'].get('secretName')}"
    return ""


def check(view: NamespaceView) -> list[Finding]:
    findings: dict[tuple[str, str], Finding] = {}
    evicted: dict[str, list[Json]] = {}
    for pod in view.pods:
        status = pod.get("status") or {}
        owner = view.owner_key(pod)
        name = str(pod["metadata"]["name"])
        if status.get("phase") == "Failed" and status.get("reason") == "Evicted":
            evicted.setdefault(owner, []).append(pod)
            continue
        init = _init_failure(pod)
        if init is not None and (owner, "init") not in findings:
            container, reason, code = init
            evidence = {"pod": name, "reason": reason, "exit_code": code or "-"}
            findings[(owner, "init")] = Finding(owner, PROBLEMS[1], evidence, "critical", container)
        mount = _mount_failure(view, pod)
        if mount is not None and (owner, "mount") not in findings:
            evidence = {"pod": name, **mount}
            findings[(owner, "mount")] = Finding(owner, PROBLEMS[2], evidence, "critical")
    for owner, pods in evicted.items():
        message = str((pods[0].get("status") or {}).get("message", ""))
        evidence = {"count": str(len(pods)), "pod": str(pods[0]["metadata"]["name"])}
        evidence["message"] = message
        findings[(owner, "evicted")] = Finding(owner, PROBLEMS[0], evidence, "warning")
    return list(findings.values())
