from django.urls import path

from aimwell.integrations import views

app_name = "integrations"
urlpatterns = [
    path("integrations/", views.home, name="home"),
    path("integrations/webhooks/new/", views.webhook_new, name="webhook-new"),
    path("integrations/webhooks/<uuid:endpoint_id>/", views.webhook_detail, name="webhook"),
    path(
        "integrations/webhooks/<uuid:endpoint_id>/delete/",
        views.webhook_delete,
        name="webhook-delete",
    ),
    path(
        "integrations/webhooks/<uuid:endpoint_id>/rotate-secret/",
        views.webhook_rotate,
        name="webhook-rotate",
    ),
    path("integrations/webhooks/<uuid:endpoint_id>/ping/", views.webhook_ping, name="webhook-ping"),
    path("integrations/deliveries/", views.deliveries, name="deliveries"),
    path("integrations/deliveries/<uuid:delivery_id>/", views.delivery_detail, name="delivery"),
    path(
        "integrations/deliveries/<uuid:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
    path("integrations/mlflow/", views.mlflow, name="mlflow"),
    path("integrations/mlflow/sync/", views.mlflow_sync, name="mlflow-sync"),
]
