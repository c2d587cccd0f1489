"""The postmortem writer may reword the timeline's draft, never add to it or drop its times."""

from __future__ import annotations

from agents.teams.postmortem import keeps_facts

DRAFT = """# Postmortem: PaymentsHighLatency
## Timeline
- 2026-03-02 08:00:00 CST fired (alertmanager)
- 2026-03-02 08:04:00 CST claimed (ou_bob)
## Links
- https://grafana.example/d/payments
"""


def test_a_rewording_that_keeps_every_fact_passes() -> None:
    reworded = DRAFT.replace("Postmortem:", "Blameless review of").replace("fired", "began")
    assert keeps_facts(DRAFT, reworded)


def test_an_invented_time_person_or_link_fails() -> None:
    assert not keeps_facts(DRAFT, DRAFT + "- 09:17 the database was restarted\n")
    assert not keeps_facts(DRAFT, DRAFT + "- ou_mallory approved a fix\n")
    assert not keeps_facts(DRAFT, DRAFT + "- see https://evil.example/x\n")


def test_dropping_a_timeline_entry_or_saying_nothing_fails() -> None:
    assert not keeps_facts(DRAFT, DRAFT.replace("- 2026-03-02 08:04:00 CST claimed (ou_bob)\n", ""))
    assert not keeps_facts(DRAFT, "  ")
