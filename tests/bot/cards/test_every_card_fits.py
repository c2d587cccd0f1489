"""Property: every card builder, fed seeded random realistic inputs, yields a card Feishu
accepts (the validator), under 30 KB and 200 elements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.evidence import Candidate, Change, Evidence, RcaResult
from bot.app.skills import default_registry
from bot.cards import answer, fix, help, notices
from bot.cards.alert import AlertView, Anomaly, alert_card, anomaly_card
from bot.cards.digest import DigestEntry, digest_cards
from bot.cards.forecast import ForecastView, forecast_card
from bot.cards.rca import RcaView, rca_card
from bot.cards.validation import card_problems
from knowledge.answer import Citation
from knowledge.index.protocol import Hit
from tests.bot.cards.random_inputs import NOW, Inputs

SEEDS = range(12)
Card = dict[str, Any]


@cache
def _forecast() -> ForecastView:
    from skills.service_forecast import plan_forecast

    times = pd.date_range(NOW - timedelta(days=7), periods=300, freq="2025s", tz="UTC")
    qps = 100 + 50 * np.sin(2 * np.pi * (times.asi8 / 1e9) / 86400)
    return plan_forecast(  # type: ignore[no-any-return]
        pd.Series(qps, index=times),
        timedelta(days=2),
        service="payments",
        namespace="default",
        deployment="payments",
        capacity=20.0,
        current=3,
    )


def rca(x: Inputs, lang: str) -> Iterator[Card]:
    start, steps = x.window()
    times = pd.date_range(start, periods=steps, freq="15s", tz="UTC")
    onset = times[x.rng.randrange(steps)]
    names = [x.name() for _ in range(x.count(8))]
    rows = [
        {"timestamp": ts, "entity": name, "metric": "latency_p99_seconds", "value": v}
        for name in names[:3]
        for ts, v in zip(times, np.random.default_rng(1).normal(1, 1, steps), strict=True)
    ]
    evidence = tuple(Evidence(x.text(80) or "m", onset, 1.0, 9.0, 0.5) for _ in range(x.count(6)))
    kinds = ("rollout", "config", "scaling", "node", "warning")
    changes = tuple(
        Change(
            onset,
            x.rng.choice(kinds),  # type: ignore[arg-type]
            x.name(),
            x.text(200),
            {key: x.text(300) for key in ("image", "previous_image", "reason", "message")},
        )
        for _ in range(x.count(30))
    )
    candidates = tuple(
        Candidate(n, "latency_p99_seconds", 0.9 - i / 20, onset, 1.0, 9e9, "up", evidence)
        for i, n in enumerate(names)
    )
    if candidates:  # the top candidate explained by a rollout (the verdict line names it)
        candidates = (replace(candidates[0], changes=changes[:1]), *candidates[1:])
    verdict = x.rng.choice(["root_cause", "ambiguous"]) if names else "no_anomaly"
    view = RcaView(
        x.name(),
        x.name(),
        f"{steps // 4}m",
        RcaResult(candidates, onset, verdict, changes),  # type: ignore[arg-type]
        pd.DataFrame(rows, columns=["timestamp", "entity", "metric", "value"]),
        [x.text(2000) for _ in range(x.count(40))],
        x.text(200),
        x.text(10_000),
        timezone=x.timezone(),
    )
    yield rca_card(view, lang)


def alerts(x: Inputs, lang: str) -> Iterator[Card]:
    start, steps = x.window()
    epoch = int(start.timestamp())
    series = [x.text(120) or "s" for _ in range(x.count(3))]
    chart = [
        {"t": epoch + 15 * i, "v": float(np.sin(i / 9)), "s": s}
        for s in series
        for i in range(steps)
    ]
    view = AlertView(
        "key",
        x.rng.choice(["firing", "resolved"]),
        x.text(100) or "A",
        x.rng.choice(["critical", "warning", "info"]),
        {x.text(40) or f"k{i}": x.text(500) for i in range(x.count(40))},
        {"summary": x.text(5000), "description": x.text(5000), "runbook_url": x.url()},
        [
            {"status": "firing", "detail": x.text(300), "starts": NOW.isoformat()}
            for _ in range(x.count(300))
        ],
        service=x.name(),
        namespace=x.name(),
        expr=x.text(300),
        chart=chart,
        threshold=1.0 if x.chance() else None,
        acked_by="ou_a" if x.chance() else None,
        silenced_by="ou_b" if x.chance() else None,
        silenced_until=NOW.isoformat(),
        can_silence=x.chance(),
        truncated=x.count(50),
    )
    tz = x.timezone()
    yield alert_card(view, lang, tz)
    found = [
        Anomaly(x.name(), x.name(), x.text(100) or "m", NOW, 1.5, 0.9) for _ in range(x.count(100))
    ]
    yield anomaly_card(x.name(), x.name(), found, lang, tz)


def answers(x: Inputs, lang: str) -> Iterator[Card]:
    passages = [
        Hit(x.text(200), x.text(300), x.text(200), x.text(3000), 0.5) for _ in range(x.count(10))
    ]
    citations = [Citation(i + 1, p.title, p.source, p.section) for i, p in enumerate(passages)]
    view = answer.AnswerView(
        x.text(2000),
        x.text(8000),
        citations,
        passages,
        query=x.text(2000),
        note=x.text(500),
        suggestions=[x.text(200) or "q" for _ in range(x.count(5))],
        by_model=x.chance(),
    )
    yield answer.answer_card(view, lang)
    yield answer.unknown_card(x.text(2000), lang, reason=x.text(5000), query=x.text(500))
    sources = [(x.text(300), x.url()) for _ in range(x.count(20))]
    yield answer.web_card(x.text(2000), x.text(8000), sources, lang)
    yield answer.web_unavailable_card(x.text(2000), lang)


def digests(x: Inputs, lang: str) -> Iterator[Card]:
    entries = [
        DigestEntry(x.name(), error=x.text(2000))
        if x.chance(0.2)
        else DigestEntry(
            x.name(),
            _forecast(),
            anomalies=[
                Anomaly(x.name(), x.name(), x.text(100), NOW, 1.0, 0.9) for _ in range(x.count(20))
            ],
        )
        for _ in range(x.count(40, low=1))
    ]
    yield from digest_cards(entries, lang, x.timezone(), NOW, x.text(50))
    yield forecast_card(_forecast(), lang, x.text(20), x.timezone())


def fixes(x: Inputs, lang: str) -> Iterator[Card]:
    def findings(n: int) -> tuple[fix.FindingText, ...]:
        levels = ["critical", "warning", "info"]
        return tuple(
            fix.FindingText(x.rng.choice(levels), x.text(500), x.text(2000)) for _ in range(n)
        )

    workloads = [
        fix.WorkloadFindings(x.name(), x.name(), findings(x.count(15)), x.chance())
        for _ in range(x.count(20))
    ]
    yield fix.diagnosis_card(
        x.text(100) or "t", workloads, lang, notes=[x.text(1000)], footer=x.text(200)
    )
    view = fix.PlanView(
        "p1",
        x.rng.choice(["fix", "undo", "scale"]),
        x.name(),
        x.name(),
        tuple(x.text(300) for _ in range(x.count(20))),
        tuple(x.text(400) for _ in range(x.count(100))),
        findings(x.count(15)),
        x.text(5000),
        "12-03 20:01",
        "p0" if x.chance() else "",
    )
    who = "<at id=ou_a></at>"
    yield fix.approval_card(view, lang)
    yield fix.no_fix_card(x.name(), x.name(), findings(x.count(15)), lang)
    yield fix.applying_card(view, who, lang)
    yield fix.applied_card(view, who, "ready", x.text(1000), lang)
    yield fix.not_applied_card(view, x.text(1000), lang)
    yield fix.interrupted_card(view, x.text(1000), lang)
    yield fix.rejected_card(view, who, x.text(1000), lang)
    rows = [
        fix.AuditRow(x.text(20), x.text(60), x.text(40), x.text(40), x.text(500))
        for _ in range(x.count(200))
    ]
    yield fix.audit_card(rows, lang)


def small(x: Inputs, lang: str) -> Iterator[Card]:
    skills = default_registry().visible()
    yield help.help_card(skills, lang, problem=x.text(500) if x.chance() else None)
    yield help.welcome_card(skills, lang, group=x.chance())
    yield notices.usage_card(lang, x.text(500), x.text(500))
    yield notices.error_card(lang, x.text(50), x.text(2000))
    yield notices.working_card(lang, x.text(100) or "t", x.text(500))
    yield notices.notice_card(x.text(100) or "t", x.text(5000))


BUILDERS: list[Callable[[Inputs, str], Iterator[Card]]] = [
    rca,
    alerts,
    answers,
    digests,
    fixes,
    small,
]


@pytest.mark.parametrize("builder", BUILDERS, ids=[b.__name__ for b in BUILDERS])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_card_is_accepted(
    builder: Callable[[Inputs, str], Iterator[Card]], seed: int
) -> None:
    x = Inputs(seed)
    lang = x.rng.choice(["zh-CN", "en-US"])
    for built in builder(x, lang):
        assert card_problems(built) == [], builder.__name__
