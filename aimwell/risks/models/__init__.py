"""Models of the risks app: the risk method and the register with treatment."""

from aimwell.risks.models.method import RiskMethod
from aimwell.risks.models.register import Risk, RiskAssessment, SelectedControl, TreatmentAction

__all__ = [
    "Risk",
    "RiskAssessment",
    "RiskMethod",
    "SelectedControl",
    "TreatmentAction",
]
