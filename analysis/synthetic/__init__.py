"""Synthetic incident suite with ground truth, for benchmarking root-cause ranking.

``generate_suite(seed=..., count=...)`` yields reproducible ``Case``s: a tidy metric
frame (columns timestamp, entity, metric, value) of a random microservice system during
one fault, with the root-cause service, the fault kind and its true onset. A test set:
nobody tunes on it.
"""

from analysis.synthetic.exporters import EXPORTERS
from analysis.synthetic.faults import KINDS
from analysis.synthetic.suite import Case, generate_case, generate_suite

__all__ = ["EXPORTERS", "KINDS", "Case", "generate_case", "generate_suite"]
