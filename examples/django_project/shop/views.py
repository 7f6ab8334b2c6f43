"""The shop's endpoint: open an after-sales ticket for a customer, in one transaction with the shop's own write."""

import pendulum
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from aftersales import AftersalesError, Channel, ProblemCategory
from shop.models import ShopCustomer
from shop.services import as_service_customer, desk


@require_POST
def open_ticket(request: HttpRequest, customer_pk: int) -> JsonResponse:
    customer = get_object_or_404(ShopCustomer, pk=customer_pk)
    service_customer = as_service_customer(customer)
    try:
        with transaction.atomic():  # the ticket and the shop's counter: both or neither
            ticket = desk().open_ticket(
                customer=service_customer,
                contact=service_customer.contacts[0],
                channel=Channel.WEB_FORM,
                category=ProblemCategory.PRODUCT_QUALITY,
                description=request.POST.get("description", ""),
                occurred_at=pendulum.now("UTC"),
                by=request.user.get_username() or "web",
            )
            ShopCustomer.objects.filter(pk=customer.pk).update(
                tickets_opened=F("tickets_opened") + 1
            )
    except AftersalesError as error:  # the message names the value; contacts never appear in it
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"ticket_id": ticket.id, "status": ticket.status.value}, status=201)
