"""The /diagnose card for a namespace (or all of them): one summary line per object a
person would fix, worst first, at most ``MAX_OBJECTS``; details behind a button each.

Pure: the skill translates findings first and passes plain text in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, Severity, card
from bot.cards.cluster_tag import CLUSTER_KEY
from bot.cards.elements import Element, actions, button, markdown
from messages import t

__all__ = ["ObjectLine", "details_button", "object_line", "survey_card", "MAX_OBJECTS"]

MAX_OBJECTS = 20
MAX_SUMMARY = 200  # characters of one summary line's text
COLOURS = {"critical": "red", "warning": "orange", "info": "grey"}
CARD_SEVERITY: dict[str, Severity] = {"critical": "critical", "warning": "warning", "info": "ok"}


@dataclass(frozen=True)
class ObjectLine:
    namespace: str  # "" for cluster-scoped objects (nodes)
    kind: str
    name: str
    severity: str  # of its worst finding
    summary: str  # its worst finding's title
    count: int  # 1 + the findings not named in ``summary``


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def object_line(item: ObjectLine, lang: str, show_namespace: bool) -> str:
    """One object's summary line: severity, name, its worst findings."""
    colour = COLOURS.get(item.severity, "grey")
    label = f"<font color='{colour}'>{t(f'cluster.severity.{item.severity}', lang)}</font>"
    where = f"{item.namespace}/" if show_namespace and item.namespace else ""
    more = t("diagnose.survey.more_findings", lang, count=item.count - 1) if item.count > 1 else ""
    return f"- {label} **{where}{item.kind}/{item.name}** · {_cut(item.summary)}{more}"


def details_button(item: ObjectLine, lang: str, cluster: str | None = None) -> Element:
    """The object's Details button (``cluster``: the cluster it lives in, when the card
    shows several)."""
    value = {"action": "diagnose_object", "namespace": item.namespace, "kind": item.kind,
             "name": item.name}  # fmt: skip
    if cluster is not None:
        value[CLUSTER_KEY] = cluster
    return button(t("diagnose.button.details", lang, name=f"{item.kind}/{item.name}"), value)


def survey_card(
    title: str,
    objects: Sequence[ObjectLine],
    lang: str,
    *,
    notes: Sequence[str] = (),
    footer: str = "",
    show_namespace: bool = False,
) -> Card:
    shown = list(objects[:MAX_OBJECTS])
    elements: list[Element] = []
    if shown:
        lines = [object_line(item, lang, show_namespace) for item in shown]
        if len(objects) > len(shown):
            lines.append(t("diagnose.more", lang, count=len(objects) - len(shown)))
        elements.append(markdown("\n".join(lines)))
        details = [details_button(item, lang) for item in shown]
        elements.append(actions(details))
    elements += [markdown(note) for note in notes]
    if footer:
        elements.append(markdown(footer, text_size="notation"))
    worst = shown[0].severity if shown else "info"
    return card(title, elements, severity=CARD_SEVERITY.get(worst, "ok"))
