"""Routes of the inbox (/inbox/) and of the notifications pages (under /operations/, where
they have always been)."""

from django.urls import path

from aimwell.notifications import views

app_name = "notifications"
P = "operations/"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox-count"),
    path(P + "notifications/", views.notifications, name="notifications"),
    path(P + "notifications/<str:pk>/read/", views.notification_read, name="notification-read"),
]
