"""Controlled vocabularies of the inventory (values are stable identifiers; labels are ours)."""

from django.db import models


class LifecycleStage(models.TextChoices):
    IDEA = "idea", "Idea"
    DESIGN = "design", "Design"
    DEVELOPMENT = "development", "Development"
    VALIDATION = "validation", "Validation"
    DEPLOYED = "deployed", "Deployed"
    RETIRED = "retired", "Retired"


class Autonomy(models.TextChoices):
    ASSISTIVE = "assistive", "Assistive: suggests, a person decides"
    PARTIAL = "partial", "Partial: decides routine cases, people handle the rest"
    HIGH = "high", "High: decides on its own within limits"
    FULL = "full", "Full: acts without human involvement"


class OversightMode(models.TextChoices):
    IN_THE_LOOP = "human_in_the_loop", "Human in the loop (approves each decision)"
    ON_THE_LOOP = "human_on_the_loop", "Human on the loop (monitors, can intervene)"
    IN_COMMAND = "human_in_command", "Human in command (decides when and how it is used)"
    NONE = "none", "No human oversight"


class DecisionImpact(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    SIGNIFICANT = "significant", "Legal or similarly significant effect on people"


class EUOperatorRole(models.TextChoices):
    PROVIDER = "provider", "Provider"
    DEPLOYER = "deployer", "Deployer"
    IMPORTER = "importer", "Importer"
    DISTRIBUTOR = "distributor", "Distributor"
    AUTHORISED_REPRESENTATIVE = "authorised-representative", "Authorised representative"
    PRODUCT_MANUFACTURER = "product-manufacturer", "Product manufacturer"


class AIRole(models.TextChoices):
    """The organisation's roles for AI in ISO/IEC 22989 terms, used by ISO/IEC 42001."""

    PROVIDER = "ai_provider", "AI provider"
    PRODUCER = "ai_producer", "AI producer"
    CUSTOMER = "ai_customer", "AI customer"
    PARTNER = "ai_partner", "AI partner"
    SUBJECT = "ai_subject", "AI subject"


class ModelOrigin(models.TextChoices):
    IN_HOUSE = "in_house", "Built in-house"
    THIRD_PARTY = "third_party", "Third-party (licensed or API)"
    OPEN = "open", "Open model"


class DueDiligence(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ISSUES_FOUND = "issues_found", "Completed with issues"


class ResourceKind(models.TextChoices):
    DATA = "data", "Data"
    TOOLING = "tooling", "Tooling"
    COMPUTE = "compute", "Compute"
    PEOPLE = "people", "People and competence"
    SYSTEM = "system", "System component"
