from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aimwell.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from aimwell.accounts.signals import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="aimwell-second-factor")
