from django.urls import path

from aimwell.risks import views, views_method

app_name = "risks"
urlpatterns = [
    path("risks/", views.home, name="home"),
    path("risks/new/", views.risk_form, name="new"),
    path("risks/export/", views.export, name="export"),
    path("risks/method/", views_method.method_page, name="method"),
    path("risks/method/<uuid:method_id>/", views_method.method_version, name="method-version"),
    path("risks/<uuid:risk_id>/", views.detail, name="detail"),
    path("risks/<uuid:risk_id>/edit/", views.risk_form, name="edit"),
    path("risks/<uuid:risk_id>/reassess/", views.reassess, name="reassess"),
    path("risks/<uuid:risk_id>/treatment/", views.set_treatment, name="treatment"),
    path("risks/<uuid:risk_id>/residual/", views.residual, name="residual"),
    path("risks/<uuid:risk_id>/accept/", views.accept, name="accept"),
    path("risks/<uuid:risk_id>/close/", views.close, name="close"),
    path("risks/<uuid:risk_id>/actions/", views.add_action, name="action-add"),
    path("risks/<uuid:risk_id>/controls/", views.select_control, name="control-select"),
    path(
        "risks/<uuid:risk_id>/controls/<uuid:selection_id>/remove/",
        views.deselect_control,
        name="control-remove",
    ),
    path("risk-actions/<uuid:action_id>/status/", views.action_status, name="action-status"),
]
