from django.urls import path

from designer.live.views import receive_event

urlpatterns = [path("events/", receive_event)]
