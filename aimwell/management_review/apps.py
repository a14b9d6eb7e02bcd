"""Management reviews (9.3): inputs gathered from the registers, conclusions and actions."""

from django.apps import AppConfig


class ManagementReviewConfig(AppConfig):
    name = "aimwell.management_review"
    label = "management_review"
    verbose_name = "Management review"
