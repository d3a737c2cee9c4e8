from django.contrib import admin

from coopchain.parties.models import AdminUnit, Facility, Member, Membership, Organization, Role


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "province"]
    list_filter = ["level"]
    search_fields = ["name", "search_name", "code"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "status", "status_since"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "search_name", "tax_code"]
    raw_id_fields = ["ward", "province"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["code", "head_of_household", "organization", "ward"]
    list_filter = ["organization"]
    search_fields = ["search_name", "code", "phone"]
    raw_id_fields = ["ward"]
    inlines = [MembershipInline]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "organization"]
    list_filter = ["kind"]
    raw_id_fields = ["ward"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "organization", "member"]
    list_filter = ["name"]
    raw_id_fields = ["member"]
