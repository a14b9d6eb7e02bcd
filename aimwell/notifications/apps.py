"""In-app notifications and the daily reminders of what is due in every register."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "aimwell.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self) -> None:
        from aimwell.core import scheduler
        from aimwell.notifications.tasks import DAILY_REMINDERS

        scheduler.register(DAILY_REMINDERS)
