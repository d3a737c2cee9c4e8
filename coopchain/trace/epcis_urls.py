"""The EPCIS 2.0 REST binding, mounted at /epcis/."""

from django.urls import path

from coopchain.trace import epcis

app_name = "epcis"

urlpatterns = [
    path("capture", epcis.capture, name="capture"),
    path("capture/<str:capture_id>", epcis.capture_job, name="capture-job"),
    path("events", epcis.events, name="events"),
    # Event IDs are URIs: once decoded, their slashes ("ni:///sha-256;…") reach the path.
    path("events/<path:event_id>", epcis.event_detail, name="event"),
]
