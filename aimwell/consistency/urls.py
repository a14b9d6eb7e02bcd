from django.urls import path

from aimwell.consistency import views

app_name = "consistency"
urlpatterns = [
    path("pre-audit-check/", views.check_page, name="check"),
    path("pre-audit-check/acknowledge/", views.acknowledge, name="acknowledge"),
    path("pre-audit-check/acknowledgements/<uuid:pk>/withdraw/", views.withdraw, name="withdraw"),
]
