"""``cloudops doctor``: every check a first install needs, with what it found and the fix.

checks = await run_doctor(DoctorInput(settings, timeout=10))
exit_code(checks), to_json(checks)

One module per area (feishu, approvals, prometheus, kubernetes, store, llm, alertmanager,
websearch); the runner runs them concurrently, each bounded by a timeout.
"""

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check, Status, exit_code, to_json, worst
from bot.doctor.runner import run_doctor

__all__ = ["Check", "DoctorInput", "Status", "exit_code", "run_doctor", "to_json", "worst"]
