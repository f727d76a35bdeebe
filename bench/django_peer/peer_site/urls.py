"""/admin/: the peer as Django ships it; /capped/: the same ModelAdmin with show_full_result_count off."""
from django.contrib import admin
from django.urls import path

from bench.django_peer.peer_site.admin import capped_site

urlpatterns = [path("admin/", admin.site.urls), path("capped/", capped_site.urls)]
