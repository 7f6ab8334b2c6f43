"""The shop with the after-sales desk, under Django's own test runner (``python manage.py test``)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase

from aftersales import Channel, ProblemCategory
from aftersales.contrib.django import DjangoStore
from shop.models import ShopCustomer
from shop.services import as_service_customer, desk, open_tickets_of


class MirroredCustomerTests(TestCase):
    def test_a_saved_customer_is_in_the_store_with_its_contact(self) -> None:
        customer = ShopCustomer.objects.create(
            name="XX科技有限公司", contact_name="张先生", phone="13812345678"
        )
        stored = DjangoStore().get_customer(f"SHOP-{customer.pk}")
        assert stored.name == "XX科技有限公司"
        assert stored.contacts[0].phone == "13812345678"

    def test_a_renamed_customer_is_renamed_in_the_store(self) -> None:
        customer = ShopCustomer.objects.create(
            name="旧名", contact_name="张先生", phone="13812345678"
        )
        customer.name = "新名"
        customer.save()
        assert DjangoStore().get_customer(customer.service_customer_id).name == "新名"


class OpenTicketViewTests(TestCase):
    def setUp(self) -> None:
        self.customer = ShopCustomer.objects.create(
            name="XX科技有限公司", contact_name="张先生", phone="13812345678"
        )

    def test_the_view_opens_a_ticket_and_counts_it(self) -> None:
        url = f"/customers/{self.customer.pk}/tickets/"
        response = self.client.post(url, {"description": "开机后频繁死机"})
        assert response.status_code == 201
        ticket_id = response.json()["ticket_id"]
        assert DjangoStore().get(ticket_id).customer_id == self.customer.service_customer_id
        assert open_tickets_of(self.customer) == [ticket_id]
        self.customer.refresh_from_db()
        assert self.customer.tickets_opened == 1

    def test_a_refused_ticket_changes_nothing(self) -> None:
        url = f"/customers/{self.customer.pk}/tickets/"
        response = self.client.post(url, {"description": ""})
        assert response.status_code == 400
        assert "description" in response.json()["error"]
        assert "13812345678" not in response.json()["error"]
        assert open_tickets_of(self.customer) == []
        self.customer.refresh_from_db()
        assert self.customer.tickets_opened == 0

    def test_a_rolled_back_block_keeps_no_ticket(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():  # noqa: PT027 - unittest runner
            desk().open_ticket(
                customer=as_service_customer(self.customer),
                channel=Channel.PHONE,
                category=ProblemCategory.PRODUCT_QUALITY,
                description="漏水",
                occurred_at=self._now(),
                by="前台小王",
                ticket_id="T-ROLLED-BACK",
            )
            raise RuntimeError("the shop's own write failed")
        assert "T-ROLLED-BACK" not in DjangoStore()

    def test_the_admin_shows_the_ticket_with_the_phone_masked(self) -> None:
        ticket_id = self.client.post(
            f"/customers/{self.customer.pk}/tickets/", {"description": "开机后频繁死机"}
        ).json()["ticket_id"]
        boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(boss)
        for url in ("/admin/aftersales/ticket/", f"/admin/aftersales/ticket/{ticket_id}/change/"):
            page = self.client.get(url).content.decode()
            assert ticket_id in page
            assert "138****5678" in page
            assert "13812345678" not in page

    @staticmethod
    def _now():  # type: ignore[no-untyped-def]
        import pendulum

        return pendulum.now("UTC")
