from django.urls import path

from aimwell.certification import views

app_name = "certification"
P = "certification/"
urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "project/", views.project_edit, name="project"),
    path(P + "audits/new/", views.audit_form, name="audit-new"),
    path(P + "audits/<uuid:pk>/", views.audit_detail, name="audit"),
    path(P + "audits/<uuid:pk>/edit/", views.audit_form, name="audit-edit"),
    path(P + "audits/<uuid:pk>/<slug:step>/", views.audit_step, name="audit-step"),
    path(P + "certificate/new/", views.certificate_new, name="certificate-new"),
    path(P + "engagements/<uuid:pk>/", views.workspace_page, name="workspace"),
    path(P + "engagements/<uuid:pk>/pick/", views.workspace_pick, name="workspace-pick"),
    path(P + "engagements/<uuid:pk>/members/", views.workspace_members, name="workspace-members"),
    path(P + "engagements/<uuid:pk>/<slug:step>/", views.workspace_step, name="workspace-step"),
    path(P + "requests/<uuid:pk>/answer/", views.ask_answer, name="ask-answer"),
]
