"""The host's own customer model, linked to the store by ``service_customer_id``."""

from django.db import models


class ShopCustomer(models.Model):
    """A customer of the shop; the after-sales store knows it as ``SHOP-<pk>``."""

    name = models.CharField(max_length=100)
    contact_name = models.CharField(max_length=50)
    phone = models.CharField(max_length=20)
    email = models.EmailField(blank=True)
    tickets_opened = models.PositiveIntegerField(default=0)

    @property
    def service_customer_id(self) -> str:
        """The id of this customer in the after-sales store (the link between the two)."""
        return f"SHOP-{self.pk}"

    def __str__(self) -> str:
        return self.name
