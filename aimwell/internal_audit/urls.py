"""Routes of the internal audits pages (under /operations/, where they have always been)."""

from django.urls import path

from aimwell.internal_audit import views

app_name = "internal_audit"
P = "operations/"

urlpatterns = [
    path(P + "programmes/", views.programmes, name="programmes"),
    path(P + "programmes/<uuid:pk>/", views.programme, name="programme"),
    path(P + "audits/", views.audits, name="audits"),
    path(P + "audits/new/", views.audit_new, name="audit-new"),
    path(P + "audits/<uuid:pk>/", views.audit, name="audit"),
    path(P + "audits/<uuid:pk>/edit/", views.audit_edit, name="audit-edit"),
    path(P + "audits/<uuid:pk>/report/", views.audit_report, name="audit-report"),
    path(P + "audits/<uuid:pk>/report.pdf", views.audit_report_pdf, name="audit-report-pdf"),
    path(P + "audits/<uuid:pk>/items/<uuid:item_pk>/", views.audit_assess, name="audit-assess"),
    path(P + "audits/<uuid:pk>/<slug:step>/", views.audit_step, name="audit-step"),
]
