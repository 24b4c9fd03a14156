"""The portal's URLs plus one that no matrix row covers: shows the missing-row check works."""

from django.http import HttpResponse
from django.urls import path

from congress import urls as portal

handler403 = portal.handler403
handler404 = portal.handler404
handler500 = portal.handler500


def probe(request):  # pragma: no cover - never requested
    return HttpResponse()


urlpatterns = [*portal.urlpatterns, path("matrix-probe/", probe, name="matrix_probe")]
