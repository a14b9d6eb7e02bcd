"""Models of the risks app: the risk method, the register with treatment, impact assessments."""

from aimwell.risks.models.impact import ImpactAssessment
from aimwell.risks.models.method import RiskMethod
from aimwell.risks.models.register import Risk, RiskAssessment, SelectedControl, TreatmentAction

__all__ = [
    "ImpactAssessment",
    "Risk",
    "RiskAssessment",
    "RiskMethod",
    "SelectedControl",
    "TreatmentAction",
]
