from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.urls")),
    path("internal/", include("designer.live.urls")),
    path("", include("designer.web.urls")),
]
