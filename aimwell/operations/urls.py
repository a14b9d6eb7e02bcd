"""Routes of the operations pages: /operations/…"""

from django.urls import path

from aimwell.operations import views, views_edit, views_improvement, views_more

app_name = "operations"

I = views_improvement  # noqa: E741
M = views_more
E = views_edit
P = "operations/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "programmes/", views.programmes, name="programmes"),
    path(P + "programmes/<uuid:pk>/", views.programme, name="programme"),
    path(P + "audits/", views.audits, name="audits"),
    path(P + "audits/new/", views.audit_new, name="audit-new"),
    path(P + "audits/<uuid:pk>/", views.audit, name="audit"),
    path(P + "audits/<uuid:pk>/edit/", E.audit_edit, name="audit-edit"),
    path(P + "audits/<uuid:pk>/report/", views.audit_report, name="audit-report"),
    path(P + "audits/<uuid:pk>/report.pdf", views.audit_report_pdf, name="audit-report-pdf"),
    path(P + "audits/<uuid:pk>/items/<uuid:item_pk>/", views.audit_assess, name="audit-assess"),
    path(P + "audits/<uuid:pk>/<slug:step>/", views.audit_step, name="audit-step"),
    path(P + "nonconformities/", I.nonconformities, name="ncs"),
    path(P + "nonconformities/new/", I.nonconformity_new, name="nc-new"),
    path(P + "nonconformities/<uuid:pk>/", I.nonconformity, name="nonconformity"),
    path(P + "nonconformities/<uuid:pk>/edit/", E.nonconformity_edit, name="nc-edit"),
    path(P + "nonconformities/<uuid:pk>/<slug:step>/", I.nonconformity_step, name="nc-step"),
    path(P + "actions/", I.actions, name="actions"),
    path(P + "actions/<uuid:pk>/", I.action, name="action"),
    path(P + "actions/<uuid:pk>/<slug:step>/", I.action_step, name="action-step"),
    path(P + "reviews/", I.reviews_list, name="reviews"),
    path(P + "reviews/new/", I.review_new, name="review-new"),
    path(P + "reviews/<uuid:pk>/", I.review, name="review"),
    path(P + "reviews/<uuid:pk>/<slug:step>/", I.review_step, name="review-step"),
    path(P + "incidents/", M.incidents_list, name="incidents"),
    path(P + "incidents/new/", M.incident_new, name="incident-new"),
    path(P + "incidents/<uuid:pk>/", M.incident, name="incident"),
    path(P + "incidents/<uuid:pk>/<slug:step>/", M.incident_step, name="incident-step"),
    path(P + "concerns/", M.concerns, name="concerns"),
    path(P + "concerns/report/", M.concern_report, name="concern-report"),
    path(P + "concerns/mine/", M.concerns_mine, name="concerns-mine"),
    path(P + "concerns/<uuid:pk>/", M.concern, name="concern"),
    path(P + "objectives/", M.objectives_list, name="objectives"),
    path(P + "objectives/new/", M.objective_new, name="objective-new"),
    path(P + "objectives/<uuid:pk>/", M.objective, name="objective"),
    path(P + "objectives/<uuid:pk>/edit/", E.objective_edit, name="objective-edit"),
    path(P + "training/", M.training_home, name="training"),
    path(P + "training/courses/new/", E.course_new, name="course-new"),
    path(P + "training/courses/<uuid:pk>/edit/", E.course_edit, name="course-edit"),
    path(P + "training/matrix/", M.training_matrix, name="training-matrix"),
    path(P + "training/courses/<uuid:pk>/", M.course, name="course"),
    path(P + "notifications/", M.notifications, name="notifications"),
    path(P + "notifications/<str:pk>/read/", M.notification_read, name="notification-read"),
]
