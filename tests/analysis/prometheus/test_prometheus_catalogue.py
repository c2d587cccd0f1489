"""Pure parts of the source: step choice, durations, templates, catalogue, service overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analysis.prometheus import Catalogue, ServiceTarget, Signal, choose_step, load_catalogue
from analysis.prometheus.step import format_duration, parse_duration
from analysis.prometheus.targets import parse_services
from analysis.prometheus.templates import render_query

T0 = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "span",
    [
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(minutes=74, seconds=45),
        timedelta(minutes=75),
        timedelta(hours=6),
        timedelta(days=1),
        timedelta(days=7, seconds=1),
    ],
)
def test_step_keeps_points_at_most_300_and_is_the_smallest_such_multiple(span) -> None:
    step = choose_step(T0, T0 + span)
    points = span // step + 1
    assert points <= 300
    assert step >= timedelta(seconds=15)
    assert step % timedelta(seconds=15) == timedelta(0)
    smaller = step - timedelta(seconds=15)
    assert smaller < timedelta(seconds=15) or span // smaller + 1 > 300


def test_step_rejects_empty_windows() -> None:
    with pytest.raises(ValueError, match="after start"):
        choose_step(T0, T0)


@pytest.mark.parametrize(("text", "seconds"), [("2m", 120), ("90s", 90), ("1h30m", 5400)])
def test_durations_round_trip(text, seconds) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)
    assert parse_duration(format_duration(timedelta(seconds=seconds))).total_seconds() == seconds


def test_bad_duration_is_rejected() -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration("2 minutes")


def test_template_replaces_only_known_placeholders() -> None:
    query = render_query(
        'sum(rate(x{{pods}, code=~"5.."}[{window}])) / on() group_left y{job="{service}"}',
        service="api",
        namespace="prod",
        window="2m",
        pods='namespace="prod", pod=~"api-.*"',
    )
    assert query == (
        'sum(rate(x{namespace="prod", pod=~"api-.*", code=~"5.."}[2m])) '
        '/ on() group_left y{job="api"}'
    )


def test_default_pod_matcher_and_override_escape_their_strings() -> None:
    assert ServiceTarget().pods_matcher("pay.api", "prod") == (
        'namespace="prod", pod=~"pay\\\\.api-.*"'
    )
    target = parse_services({"pay": {"pod_regex": 'p"x', "namespace": "ns"}})["pay"]
    assert target.pods_matcher("pay", "ns") == 'namespace="ns", pod=~"p\\"x"'


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ({"pay": {"pod_regex": "("}}, "not a regex"),
        ({"pay": {"colour": "x"}}, "unknown"),
        ({"pay": {"depends_on": "ledger"}}, "list"),
        ({"Pay!": {}}, "Kubernetes name"),
    ],
)
def test_bad_service_overrides_are_rejected(services, message) -> None:
    with pytest.raises(ValueError, match=message):
        parse_services(services)


def test_catalogue_extension_replaces_by_name_and_adds() -> None:
    base = load_catalogue()
    extended = base.extended(
        [{"name": "ready", "query": "x{{pods}}"}, Signal("queue_depth", "q{{pods}}", "service")]
    )
    names = [s.name for s in extended.signals]
    assert names.count("ready") == 1 and names[-1] == "queue_depth"
    assert len(names) == len(base.signals) + 1
    assert extended.only("ready").signals == (Signal("ready", "x{{pods}}", "pod"),)


@pytest.mark.parametrize(
    ("signals", "message"),
    [((Signal("a", "x"), Signal("a", "y")), "duplicate")],
)
def test_catalogue_rejects_duplicates(signals, message) -> None:
    with pytest.raises(ValueError, match=message):
        Catalogue(signals)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "a", "query": "x", "scope": "node"}, "scope"),
        ({"name": "a b", "query": "x"}, "name"),
        ({"name": "a"}, "needs"),
        ({"name": "a", "query": " "}, "empty"),
    ],
)
def test_bad_signals_are_rejected(data, message) -> None:
    with pytest.raises(ValueError, match=message):
        Signal.from_mapping(data)


def test_catalogue_file_needs_a_signal_list(tmp_path) -> None:
    path = tmp_path / "signals.yaml"
    path.write_text("signals: {}\n")
    with pytest.raises(ValueError, match="'signals' list"):
        load_catalogue(path)


def test_edge_signals_name_their_caller_and_callee_labels() -> None:
    istio = Signal.from_mapping({"name": "calls", "query": "x", "scope": "edge"})
    assert (istio.caller_label, istio.callee_label) == ("source_workload", "destination_workload")
    linkerd = Signal.from_mapping(
        {
            "name": "calls",
            "query": "x",
            "scope": "edge",
            "caller_label": "deployment",
            "callee_label": "dst_deployment",
        }
    )
    assert (linkerd.caller_label, linkerd.callee_label) == ("deployment", "dst_deployment")
