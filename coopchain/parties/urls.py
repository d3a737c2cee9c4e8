from django.urls import path

from coopchain.parties import views

app_name = "parties"
urlpatterns = [
    path("organization/switch", views.switch_organization, name="switch_organization"),
    path("members/", views.member_list, name="member_list"),
    path("members/new", views.member_create, name="member_create"),
    path("members/<int:member_id>/", views.member_detail, name="member_detail"),
    path("members/<int:member_id>/edit", views.member_edit, name="member_edit"),
    path("members/<int:member_id>/leave", views.member_leave, name="member_leave"),
    path("members/<int:member_id>/rejoin", views.member_rejoin, name="member_rejoin"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new", views.facility_create, name="facility_create"),
    path("facilities/<int:facility_id>/edit", views.facility_edit, name="facility_edit"),
    path("wards/options", views.ward_options, name="ward_options"),
]
