"""The shop: the host application's own customers, mirrored into the after-sales store."""

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shop import signals  # noqa: F401 - connects the mirroring receiver
