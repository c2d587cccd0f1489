"""The suite is a pure function of its seed: same seed, same cases."""

from __future__ import annotations

import pandas as pd

from analysis.synthetic import generate_case, generate_suite


def test_same_seed_gives_the_same_cases() -> None:
    first = list(generate_suite(seed=11, count=6))
    again = list(generate_suite(seed=11, count=6))
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert (a.root_cause, a.kind, a.onset, a.fault_series) == (
            b.root_cause,
            b.kind,
            b.onset,
            b.fault_series,
        )
        assert dict(a.effects) == dict(b.effects)


def test_a_case_does_not_depend_on_how_many_are_drawn() -> None:
    *_, last = generate_suite(seed=11, count=4)
    alone = generate_case(11, 3)
    pd.testing.assert_frame_equal(last.frame, alone.frame)
    assert last.name == alone.name


def test_other_seeds_give_other_cases() -> None:
    a, b = generate_case(11, 0), generate_case(12, 0)
    assert a.services != b.services or not a.frame.equals(b.frame)
