from django.contrib.auth import views as auth_views
from django.urls import path

from aimwell.accounts import views, views_invitations

urlpatterns = [
    path("signin/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.AuditedPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
    path("members/", views.members, name="members"),
    path("members/<uuid:member_id>/", views.edit_member, name="member-edit"),
    path(
        "members/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="invitation-revoke",
    ),
    path("invitations/<str:secret>/", views_invitations.invitation, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="token-revoke"),
]
