from django.urls import path

from aimwell.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.home, name="home"),
    path("documents/pick/", views.pick, name="pick"),
    path("documents/checklist/", views.checklist_page, name="checklist"),
    path("documents/templates/", views.templates_page, name="templates"),
    path("documents/new/", views.new_document, name="new"),
    path("documents/<uuid:pk>/", views.detail, name="detail"),
    path("documents/<uuid:pk>/v/<int:number>/", views.version_page, name="version"),
    path("documents/<uuid:pk>/v/<int:number>/pdf/", views.version_pdf_view, name="pdf"),
    path("documents/<uuid:pk>/edit/", views.edit_draft, name="edit"),
    path("documents/<uuid:pk>/settings/", views.settings_page, name="settings"),
    path("documents/<uuid:pk>/do/<slug:action>/", views.transition, name="transition"),
    path("documents/<uuid:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("documents/<uuid:pk>/acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("documents/conflicts/<uuid:pk>/", views.conflict_page, name="conflict"),
]
