"""Controlled vocabularies of context and scope (values are stable identifiers)."""

from django.db import models


class IssueKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class IssueCategory(models.TextChoices):
    LEGAL = "legal", "Legal and regulatory"
    TECHNOLOGICAL = "technological", "Technological"
    SOCIAL = "social", "Social and cultural"
    ECONOMIC = "economic", "Economic and market"
    ENVIRONMENTAL = "environmental", "Environmental"
    POLITICAL = "political", "Political"
    ORGANISATIONAL = "organisational", "Organisational (governance, culture, resources)"
    ETHICAL = "ethical", "Ethical"


class PartyKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class PartyCategory(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    REGULATORS = "regulators", "Regulators and supervisors"
    EMPLOYEES = "employees", "Employees"
    AFFECTED_PERSONS = "affected_persons", "Affected persons"
    SUPPLIERS = "suppliers", "Suppliers and partners"
    SHAREHOLDERS = "shareholders", "Shareholders and investors"
    MANAGEMENT = "management", "Top management and board"
    CIVIL_SOCIETY = "civil_society", "Civil society and the public"
    CERTIFICATION = "certification", "Certification and audit bodies"
    OTHER = "other", "Other"


class RequirementKind(models.TextChoices):
    LAW = "law", "Law"
    REGULATION = "regulation", "Regulation"
    CONTRACT = "contract", "Contract"
    STANDARD = "standard", "Standard"
    INTERNAL_POLICY = "internal_policy", "Internal policy"


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    RETIRED = "retired", "Retired"


class ScopeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
