from django.urls import path

from coopchain.land import views

app_name = "land"
urlpatterns = [
    path("", views.plot_list, name="plot_list"),
    path("new", views.plot_create, name="plot_create"),
    path("import", views.plot_import, name="plot_import"),
    path("export.geojson", views.plot_export, name="plot_export"),
    path("map", views.plot_map, name="plot_map"),
    path("map.geojson", views.map_data, name="map_data"),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:zone_id>/", views.zone_detail, name="zone_detail"),
    path("<int:plot_id>/", views.plot_detail, name="plot_detail"),
    path("<int:plot_id>/edit", views.plot_edit, name="plot_edit"),
    path("<int:plot_id>/crops", views.crop_add, name="crop_add"),
    path("<int:plot_id>/crops/<int:plot_crop_id>/end", views.crop_end, name="crop_end"),
]
