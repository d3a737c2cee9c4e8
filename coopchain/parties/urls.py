from django.urls import path

from coopchain.parties import views

app_name = "parties"
urlpatterns = [
    path("organization/switch", views.switch_organization, name="switch_organization"),
    path("members/", views.member_list, name="member_list"),
    path("members/new", views.member_create, name="member_create"),
    path("members/import", views.member_import, name="member_import"),
    path(
        "members/import/template",
        views.member_import_template,
        name="member_import_template",
    ),
    path("members/export", views.member_export, name="member_export"),
    path("members/<int:member_id>/", views.member_detail, name="member_detail"),
    path("members/<int:member_id>/edit", views.member_edit, name="member_edit"),
    path("members/<int:member_id>/leave", views.member_leave, name="member_leave"),
    path("members/<int:member_id>/rejoin", views.member_rejoin, name="member_rejoin"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new", views.facility_create, name="facility_create"),
    path("facilities/import", views.facility_import, name="facility_import"),
    path(
        "facilities/import/template",
        views.facility_import_template,
        name="facility_import_template",
    ),
    path("facilities/export", views.facility_export, name="facility_export"),
    path("facilities/<int:facility_id>/edit", views.facility_edit, name="facility_edit"),
    path("wards/options", views.ward_options, name="ward_options"),
]
