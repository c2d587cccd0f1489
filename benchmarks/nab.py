"""NAB benchmark runner.

.venv/bin/python benchmarks/nab.py --reproduce   # published detectors, proves the scorer
.venv/bin/python benchmarks/nab.py               # our combined detector (+ --singles)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nab_corpus import NAB_DIR, NabFile, load_corpus, load_profiles, load_reference_scores  # noqa: E402
from nab_reference import reference_scores  # noqa: E402
from nab_scoring import CorpusScore, normalized_score, score_corpus  # noqa: E402

PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
REFERENCE_DETECTORS = ("numenta", "windowedGaussian", "null")


def published_scores() -> dict[str, tuple[float, ...]]:
    """Normalised scores from the stored NAB scoreboard, in PROFILES order."""
    board = json.loads((NAB_DIR / "scoreboard.json").read_text())["normalized_scores"]
    return {d: tuple(board[d][p] for p in PROFILES) for d in REFERENCE_DETECTORS}


def evaluate(
    corpus: Sequence[NabFile], scores: dict[str, np.ndarray]
) -> dict[str, tuple[float, CorpusScore]]:
    """Normalised score and raw result per profile for one detector's scores."""
    profiles = load_profiles()
    n_windows = sum(len(f.windows) for f in corpus)
    triples = [(f.name, scores[f.name], f.windows) for f in corpus]
    nulls = [(f.name, np.full(len(f.values), 0.5), f.windows) for f in corpus]
    result = {}
    for profile in PROFILES:
        cost = profiles[profile]
        found = score_corpus(triples, cost)
        null_raw = score_corpus(nulls, cost).raw
        result[profile] = (
            normalized_score(found.raw, null_raw, n_windows, cost["tpWeight"]),
            found,
        )
    return result


def _line(name: str, result: dict[str, tuple[float, CorpusScore]], extra: str = "") -> str:
    cells = " | ".join(f"{result[p][0]:6.2f}" for p in PROFILES)
    thresholds = ", ".join(f"{result[p][1].threshold:.4f}" for p in PROFILES)
    return f"| {name} | {cells} | {thresholds} |{extra}"


def reproduce(corpus: Sequence[NabFile]) -> bool:
    print("| detector | standard | low FP | low FN | thresholds | published |")
    print("|---|---|---|---|---|---|")
    ok = True
    for detector, published in published_scores().items():
        result = evaluate(corpus, reference_scores(detector, corpus))
        got = [result[p][0] for p in PROFILES]
        ok &= all(abs(g - p) <= 0.1 for g, p in zip(got, published, strict=True))
        print(_line(detector, result, " " + " / ".join(f"{p:.2f}" for p in published) + " |"))
    rounded = evaluate(corpus, load_reference_scores("windowedGaussian"))
    print(_line("windowedGaussian (6-decimal file as stored)", rounded, " see nab_reference.py |"))
    print("reproduced within 0.1" if ok else "MISMATCH with published scores")
    return ok


def run_detector(
    corpus: Sequence[NabFile], name: str, score: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> None:
    started = time.perf_counter()
    scores = {f.name: score(f.values, f.timestamps.as_unit("s").asi8) for f in corpus}
    elapsed = time.perf_counter() - started
    result = evaluate(corpus, scores)
    print(_line(name, result, f" {elapsed:.1f} s |"))
    _categories(corpus, result["standard"][1])


def _categories(corpus: Sequence[NabFile], found: CorpusScore) -> None:
    by_category: dict[str, list[float]] = {}
    for f in corpus:
        raw, windows = by_category.setdefault(f.category, [0.0, 0.0])[:2]
        by_category[f.category] = [raw + found.per_file[f.name], windows + len(f.windows)]
    parts = [f"{c}: {raw:+.1f} raw / {int(w)} windows" for c, (raw, w) in by_category.items()]
    print("    standard raw by category: " + "; ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reproduce", action="store_true", help="score published detectors")
    parser.add_argument("--singles", action="store_true", help="also score each detector alone")
    args = parser.parse_args()
    corpus = load_corpus()
    if args.reproduce:
        return 0 if reproduce(corpus) else 1
    from nab_detectors import DETECTORS

    print("| detector | standard | low FP | low FN | thresholds | wall time |")
    print("|---|---|---|---|---|---|")
    for name, score in DETECTORS.items():
        if name == "combined" or args.singles:
            run_detector(corpus, name, score)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
