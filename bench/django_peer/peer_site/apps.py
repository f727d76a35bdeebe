"""The peer app: label `peer`, so its admin lives at /admin/peer/personnel/."""
from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "bench.django_peer.peer_site"
    label = "peer"
    verbose_name = "人员"
