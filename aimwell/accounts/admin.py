from django.contrib import admin

from aimwell.accounts.models import Organisation, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active", "is_staff"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "created_at"]
    readonly_fields = ["name", "slug"]
