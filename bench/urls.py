"""The bench's URLconf (bench/wsgi.py only, never the production site): the site's own URLs, plus a bare
hello-world view served by the same gunicorn, the yardstick of bench/pages.py."""

from django.http import HttpResponse
from django.urls import path

from shunyi_eval.urls import urlpatterns as site


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *site]
