"""The operations router: audits, nonconformities and actions (`api_audits`), management reviews,
incidents, concerns, objectives, training and notifications (`api_more`)."""

from aimwell.operations import api_audits, api_more
from aimwell.operations.api_support import router

__all__ = ["api_audits", "api_more", "router"]
