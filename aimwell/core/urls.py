from django.urls import path

from aimwell.core import views

urlpatterns = [
    path("audit/", views.audit_trail, name="audit-trail"),
    path("audit/<str:object_type>/<str:object_id>/", views.object_history, name="object-history"),
]
