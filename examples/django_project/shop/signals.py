"""Every saved shop customer is mirrored into the after-sales store, in the same transaction."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.models import ShopCustomer
from shop.services import mirror_customer


@receiver(post_save, sender=ShopCustomer)
def mirror_saved_customer(
    sender: type[ShopCustomer], instance: ShopCustomer, **kwargs: Any
) -> None:
    mirror_customer(instance)
