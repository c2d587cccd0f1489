"""Error lines in the current logs of running pods that restarted or are not ready, as
k8sgpt's Log analyzer reads them; one finding per workload, the first error line as
evidence (redacted; classified as /logs does, ``cluster.logdigest``).

The survey reads the tails (``log_requests`` says which, at most ``MAX_PODS`` pods) into
``view.pod_logs`` before this analyzer runs. Containers another finding already explains
(a crash loop shows the previous container's last lines) are not read again."""

from __future__ import annotations

from collections.abc import Iterable

from cluster.finding import Finding
from cluster.logdigest import digest
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Pod"
PROBLEMS = ("log_errors",)
MAX_PODS = 10  # pods whose logs one diagnosis reads
TAIL_LINES = 30  # of each container's current log
LINE_CHARS = 160  # of the error line shown


def _troubled(pod: Json) -> list[str]:
    """The running containers of a running pod that restarted or are not ready."""
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        return []
    return [
        str(s["name"])
        for s in status.get("containerStatuses") or []
        if "running" in (s.get("state") or {}) and (s.get("restartCount") or not s.get("ready"))
    ]


def log_requests(
    view: NamespaceView, findings: Iterable[Finding], *, only: str | None = None
) -> list[tuple[str, str]]:
    """(pod, container) whose current log to read: troubled, not explained by another
    non-informational finding on the container or the pod, of the workload ``only``
    when given; at most ``MAX_PODS`` pods, by name."""
    explained: set[tuple[str, str]] = set()
    named_pods: set[str] = set()
    for finding in findings:
        if finding.severity == "info":
            continue
        if finding.container:
            explained.add((finding.object, finding.container))
        if finding.evidence.get("pod"):
            named_pods.add(finding.evidence["pod"])
    wanted: list[tuple[str, str]] = []
    pods = 0
    for pod in sorted(view.pods, key=lambda p: str(p["metadata"]["name"])):
        name, owner = str(pod["metadata"]["name"]), view.owner_key(pod)
        if name in named_pods or (only is not None and owner != only):
            continue
        containers = [c for c in _troubled(pod) if (owner, c) not in explained]
        if not containers:
            continue
        wanted += [(name, c) for c in containers]
        pods += 1
        if pods == MAX_PODS:
            break
    return wanted


def _first_error(text: str) -> tuple[str, int] | None:
    """The first error line (a stack frame only when nothing else) and how many there are."""
    important = digest(text, max_important=TAIL_LINES, line_chars=LINE_CHARS).important
    if not important:
        return None
    first = next((line for line in important if line.category != "trace"), important[0])
    return first.text.replace("`", "'").strip(), sum(line.count for line in important)


def check(view: NamespaceView) -> list[Finding]:
    pods = {str(p["metadata"]["name"]): p for p in view.pods}
    first: dict[str, tuple[str, str, str, int]] = {}  # workload → pod, container, line, count
    erring: dict[str, set[str]] = {}  # workload → its pods with error lines
    for key in sorted(view.pod_logs):
        pod_name, _, container = key.partition("/")
        pod = pods.get(pod_name)
        error = _first_error(view.pod_logs[key])
        if pod is None or error is None:
            continue
        owner = view.owner_key(pod)
        erring.setdefault(owner, set()).add(pod_name)
        first.setdefault(owner, (pod_name, container, *error))
    findings: list[Finding] = []
    for owner, (pod_name, container, line, count) in first.items():
        evidence = {"pod": pod_name, "container": container, "count": str(count), "line": line,
                    "pods": str(len(erring[owner]))}  # fmt: skip
        findings.append(Finding(owner, PROBLEMS[0], evidence, "warning", container))
    return findings
