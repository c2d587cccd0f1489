"""Cards for /diagnose, /fix and the approval flow: findings, plan diff, approve/reject, undo.

Builders are pure: skills translate findings and operations first (``bot.texts.cluster``) and
pass plain text in; every button value names its action and the stored plan's id only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.cards.audit import AuditRow, audit_card  # re-exported: skills import them here
from bot.cards.card import Card, Severity, card
from bot.cards.cutting import cut_bytes, cut_lines
from bot.cards.elements import Element, actions, button, markdown, panel, plain
from bot.cards.escape import code_span, escape_markdown
from messages import t

__all__ = [
    "FindingText",
    "WorkloadFindings",
    "PlanView",
    "findings_markdown",
    "diagnosis_card",
    "approval_card",
    "no_fix_card",
    "applying_card",
    "applied_card",
    "not_applied_card",
    "interrupted_card",
    "rejected_card",
    "AuditRow",
    "audit_card",
]

MAX_FINDINGS = 8
MAX_WORKLOADS = 12
MAX_DIFF_LINES = 40
MAX_TEXT = 300  # characters of one finding's detail, one diff line
MAX_RATIONALE_BYTES = 4500
TEXT_BYTES = 1500  # a reason, an outcome, a note
FINDINGS_BYTES = 6000
STEPS_BYTES = 4000
DIFF_BYTES = 6000
BODY_BUDGET = 18_000  # bytes of findings on the diagnosis card (the send budget is 26 KB)
COLOURS = {"critical": "red", "warning": "orange", "info": "grey"}
CARD_SEVERITY: dict[str, Severity] = {"critical": "critical", "warning": "warning", "info": "info"}
OUTCOME_SEVERITY: dict[str, Severity] = {"ready": "ok", "timeout": "warning", "failed": "error"}


@dataclass(frozen=True)
class FindingText:
    severity: str  # critical | warning | info
    title: str
    detail: str


@dataclass(frozen=True)
class WorkloadFindings:
    namespace: str
    deployment: str
    findings: tuple[FindingText, ...]
    fixable: bool = False


@dataclass(frozen=True)
class PlanView:
    """A stored plan as shown on its cards (texts already translated)."""

    plan_id: str
    kind: str  # fix | undo | scale
    namespace: str
    deployment: str
    operations: tuple[str, ...]
    diff: tuple[str, ...]
    findings: tuple[FindingText, ...] = ()
    rationale: str = ""  # set when the AI assistant proposed the plan
    expires: str = ""  # a card time: "今天 14:32", "12-03 20:01"
    source_plan: str = ""  # for an undo: the plan it reverts
    requester: str = ""  # open_id of who proposed it
    approvers: tuple[str, ...] = ()  # open_ids of who may approve it (the namespace's)
    impact: str = ""  # "rolling restart of 2 pods", "scale 2 → 4 replicas"
    valid_minutes: int = 0  # how long the plan may be approved, from its proposal


def _mention(open_id: str) -> str:
    return f"<at id={open_id}></at>"


def _who_and_when(view: PlanView, lang: str) -> list[Element]:
    """Who asked, whom it waits for (mentioned), what it does to the pods, until when."""
    lines = []
    if view.requester:
        lines.append(t("fix.approval.requester", lang, requester=_mention(view.requester)))
    if view.approvers:
        mentions = " ".join(_mention(a) for a in view.approvers)
        lines.append(t("fix.approval.approvers", lang, approvers=mentions))
    else:
        lines.append(t("fix.approval.no_approvers", lang, namespace=view.namespace))
    if view.impact:
        lines.append(t("fix.approval.impact", lang, impact=view.impact))
    if view.valid_minutes and view.expires:
        validity = t(
            "fix.approval.validity", lang, minutes=view.valid_minutes, expires=view.expires
        )
        lines.append(validity)
    return [markdown(escape_markdown("\n".join(lines), keep_mentions=True))]


def _label(severity: str, lang: str) -> str:
    colour = COLOURS.get(severity, "grey")
    return f"<font color='{colour}'>{t(f'cluster.severity.{severity}', lang)}</font>"


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    """At most ``limit`` characters and ``3 * limit`` bytes."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return cut_bytes(text, limit * 3)


def _more(lang: str) -> Callable[[int], str]:
    return lambda count: t("diagnose.more", lang, count=count)


def _composed(text: str, limit: int = TEXT_BYTES) -> str:
    """Skill-composed text (may hold outside text and a catalogue mention)."""
    return escape_markdown(cut_bytes(text, limit), keep_mentions=True)


def findings_markdown(
    findings: Sequence[FindingText], lang: str, *, limit: int = MAX_FINDINGS
) -> str:
    lines = [
        f"- {_label(f.severity, lang)} **{escape_markdown(_cut(f.title))}**\n"
        f"  {escape_markdown(_cut(f.detail))}"
        for f in findings[:limit]
    ]
    lines = cut_lines(lines, FINDINGS_BYTES, _more(lang))
    shown = sum(1 for line in lines if line.startswith("- "))
    if len(findings) > limit and shown == min(limit, len(findings)):
        lines.append(t("diagnose.more", lang, count=len(findings) - limit))
    return "\n".join(lines)


def _worst(findings: Sequence[FindingText]) -> Severity:
    for level in ("critical", "warning"):
        if any(f.severity == level for f in findings):
            return CARD_SEVERITY[level]
    return "ok"


def diagnosis_card(
    title: str,
    workloads: Sequence[WorkloadFindings],
    lang: str,
    *,
    notes: Sequence[str] = (),
    footer: str = "",
) -> Card:
    """Findings per deployment, worst first; the only button is "Propose fix"."""
    troubled = [w for w in workloads if w.findings]
    healthy = [w.deployment for w in workloads if not w.findings]
    elements: list[Element] = []
    shown, used = 0, 0
    per_workload = MAX_FINDINGS if len(troubled) <= 3 else 4
    for workload in troubled[:MAX_WORKLOADS]:
        head = f"**{escape_markdown(_cut(f'{workload.namespace}/{workload.deployment}'))}**"
        body = findings_markdown(workload.findings, lang, limit=per_workload)
        used += len(body.encode())
        if shown and used > BODY_BUDGET:
            break
        shown += 1
        elements.append(markdown(f"{head}\n{body}"))
        if workload.fixable:
            value = {
                "action": "propose_fix",
                "namespace": workload.namespace,
                "deployment": workload.deployment,
            }
            label = t("diagnose.button.propose", lang, deployment=workload.deployment)
            elements.append(actions([button(label, value)]))
    if len(troubled) > shown:
        elements.append(markdown(t("diagnose.more", lang, count=len(troubled) - shown)))
    if healthy:
        names = escape_markdown(cut_bytes(", ".join(healthy), TEXT_BYTES))
        elements.append(markdown(t("diagnose.healthy", lang, names=names)))
    elements += [markdown(_composed(note)) for note in notes]
    if footer:
        elements.append(markdown(_composed(footer), text_size="notation"))
    severity = _worst([f for w in troubled for f in w.findings])
    return card(title, elements, severity=severity)


def _plan_title(view: PlanView, lang: str) -> str:
    key = {"undo": "fix.title.undo", "scale": "fix.title.scale"}.get(view.kind, "fix.title")
    return t(key, lang, namespace=view.namespace, deployment=view.deployment)


def _plan_elements(view: PlanView, lang: str) -> list[Element]:
    elements: list[Element] = []
    if view.source_plan:
        elements.append(markdown(t("fix.undo_intro", lang, plan_id=view.source_plan)))
    if view.findings:
        body = findings_markdown(view.findings, lang)
        elements.append(markdown(f"{t('fix.section.findings', lang)}\n{body}"))
    if view.operations:
        steps = "\n".join(
            cut_lines(
                [f"{i}. {escape_markdown(_cut(op))}" for i, op in enumerate(view.operations, 1)],
                STEPS_BYTES,
                _more(lang),
            )
        )
        elements.append(markdown(f"{t('fix.section.plan', lang)}\n{steps}"))
    lines = [f"- {code_span(_cut(line))}" for line in view.diff[:MAX_DIFF_LINES]]
    if len(view.diff) > MAX_DIFF_LINES:
        lines.append(t("diagnose.more", lang, count=len(view.diff) - MAX_DIFF_LINES))
    diff = "\n".join(cut_lines(lines, DIFF_BYTES, _more(lang)))
    elements.append(markdown(f"{t('fix.section.diff', lang)}\n{diff}"))
    if view.rationale:
        elements.append(markdown(t("fix.ai_note", lang)))
        rationale = cut_bytes(escape_markdown(view.rationale), MAX_RATIONALE_BYTES)
        elements.append(panel(t("fix.section.rationale", lang), [markdown(rationale)]))
    return elements


def _decision_form(view: PlanView, lang: str) -> Element:
    """Approve and Reject as the submit buttons of one form. Feishu documents a button's
    ``confirm`` dialog for submit buttons in a form: there, every client shows it, so
    Approve is always two deliberate steps (click, then confirm)."""
    reason: Element = {
        "tag": "input",
        "name": "reason",
        "label": plain(t("fix.reason.label", lang)),
        "placeholder": plain(t("fix.reason.placeholder", lang)),
        "max_length": 200,
    }
    approve = button(
        t("fix.button.approve", lang),
        {"action": "approve_plan", "plan_id": view.plan_id},
        kind="primary_filled",
        confirm=(
            t("fix.confirm.title", lang),
            t("fix.confirm.text", lang, namespace=view.namespace, deployment=view.deployment),
        ),
    )
    approve.update(name="approve", form_action_type="submit")
    reject = button(
        t("fix.button.reject", lang), {"action": "reject_plan", "plan_id": view.plan_id}
    )
    reject.update(name="reject", form_action_type="submit")
    return {
        "tag": "form",
        "name": f"decide_{view.plan_id}",
        "elements": [approve, reason, reject],
    }


def approval_card(view: PlanView, lang: str) -> Card:
    """The plan awaiting a decision: findings, steps, diff, and the Approve / Reject form."""
    elements = _who_and_when(view, lang) + _plan_elements(view, lang)
    elements += [
        _decision_form(view, lang),
        markdown(t("fix.approval_note", lang), text_size="notation"),
    ]
    subtitle = t("fix.subtitle.pending", lang, plan_id=view.plan_id, expires=view.expires)
    return card(_plan_title(view, lang), elements, severity="warning", subtitle=subtitle)


def no_fix_card(
    namespace: str, deployment: str, findings: Sequence[FindingText], lang: str
) -> Card:
    if not findings:
        text = t(
            "fix.no_fix.healthy",
            lang,
            namespace=escape_markdown(_cut(namespace)),
            deployment=escape_markdown(_cut(deployment)),
        )
        return card(
            t("fix.no_fix.title", lang, namespace=namespace, deployment=deployment),
            [markdown(text)],
            severity="ok",
        )
    elements = [
        markdown(f"{t('fix.section.findings', lang)}\n{findings_markdown(findings, lang)}"),
        markdown(t("fix.no_fix.body", lang)),
    ]
    title = t("fix.no_fix.title", lang, namespace=namespace, deployment=deployment)
    return card(title, elements, severity=_worst(findings))


def _done_subtitle(view: PlanView, lang: str) -> str:
    return t("fix.subtitle.done", lang, plan_id=view.plan_id)


def applying_card(view: PlanView, who: str, lang: str) -> Card:
    elements = [markdown(t("fix.applying", lang, who=who)), *_plan_elements(view, lang)]
    return card(
        _plan_title(view, lang), elements, severity="working", subtitle=_done_subtitle(view, lang)
    )


def applied_card(
    view: PlanView, who: str, outcome: str, outcome_text: str, lang: str, *, undo: bool = True
) -> Card:
    """After the change: who approved, what changed, the rollout outcome, Undo."""
    elements: list[Element] = [
        markdown(_composed(outcome_text)),
        markdown(t("fix.approved_by", lang, who=who)),
        *_plan_elements(view, lang),
    ]
    if undo:
        value = {"action": "undo_plan", "plan_id": view.plan_id}
        elements.append(actions([button(t("fix.button.undo", lang), value, kind="danger")]))
        elements.append(markdown(t("fix.undo_hint", lang), text_size="notation"))
    severity = OUTCOME_SEVERITY.get(outcome, "error")
    title = t("fix.applied.title", lang, namespace=view.namespace, deployment=view.deployment)
    return card(title, elements, severity=severity, subtitle=_done_subtitle(view, lang))


def not_applied_card(view: PlanView, reason: str, lang: str) -> Card:
    """The plan was not applied (expired, conflict, dry run refused, API down...)."""
    title = t("fix.not_applied.title", lang, namespace=view.namespace, deployment=view.deployment)
    elements = [markdown(f"**{_composed(reason)}**"), *_plan_elements(view, lang)]
    return card(title, elements, severity="error", subtitle=_done_subtitle(view, lang))


def interrupted_card(view: PlanView, text: str, lang: str) -> Card:
    """The apply stopped without an outcome (the bot died mid-apply): no buttons."""
    title = t("fix.interrupted.title", lang, namespace=view.namespace, deployment=view.deployment)
    elements = [markdown(f"**{_composed(text)}**"), *_plan_elements(view, lang)]
    return card(title, elements, severity="warning", subtitle=_done_subtitle(view, lang))


def rejected_card(view: PlanView, who: str, reason: str, lang: str) -> Card:
    reason = escape_markdown(_cut(reason))
    text = t("fix.rejected.body", lang, who=who, plan_id=view.plan_id, reason=reason)
    title = t("fix.rejected.title", lang, namespace=view.namespace, deployment=view.deployment)
    elements = [markdown(text), *_plan_elements(view, lang)]
    return card(title, elements, severity="neutral", subtitle=_done_subtitle(view, lang))
