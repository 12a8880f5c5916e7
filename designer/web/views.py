"""The page shell that loads the canvas bundle for every page of the single-page app."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from designer.web.frontend import FrontendNotBuilt, read_bundle


@login_required
@ensure_csrf_cookie
def shell(request: HttpRequest, **route: int | str) -> HttpResponse:
    """Any page of the app: the routes are resolved again in the browser."""
    try:
        bundle = read_bundle(settings.FRONTEND_MANIFEST)
    except FrontendNotBuilt as error:
        return render(request, "web/not_built.html", {"reason": str(error)}, status=503)
    return render(request, "web/shell.html", {"bundle": bundle})
