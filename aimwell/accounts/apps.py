from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aimwell.accounts"
    label = "accounts"
    verbose_name = "Accounts"
