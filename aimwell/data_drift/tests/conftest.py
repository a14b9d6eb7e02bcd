"""The engine's seeded logs and their reports (written and assessed once per session) serve the
drift tests too: drift is computed by the same run that computes the rest of the evidence."""

from aimwell.assurance.tests.conftest import logs, reports, tables

__all__ = ["logs", "reports", "tables"]
