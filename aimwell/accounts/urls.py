from django.contrib.auth import views as auth_views
from django.urls import path

from aimwell.accounts import views, views_invitations, views_mfa, views_sso

urlpatterns = [
    path("signin/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.AuditedPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sso/start/", views_sso.start, name="sso-start"),
    path("sso/callback/", views_sso.callback, name="sso-callback"),
    path("account/two-factor/", views_mfa.two_factor, name="two-factor"),
    path("account/two-factor/verify/", views_mfa.verify, name="two-factor-verify"),
    path(
        "account/two-factor/recovery-codes/",
        views_mfa.renew_recovery_codes,
        name="two-factor-recovery",
    ),
    path("account/two-factor/disable/", views_mfa.disable_two_factor, name="two-factor-disable"),
    path("members/two-factor-policy/", views_mfa.mfa_policy, name="mfa-policy"),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
    path("members/", views.members, name="members"),
    path("members/pick/", views.member_pick, name="member-pick"),
    path("members/<uuid:member_id>/", views.edit_member, name="member-edit"),
    path("members/<uuid:member_id>/unlock/", views.unlock_member, name="member-unlock"),
    path(
        "members/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="invitation-revoke",
    ),
    path("invitations/<str:secret>/", views_invitations.invitation, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="token-revoke"),
]
