"""The admin, and the shop's endpoint that opens a ticket."""

from django.contrib import admin
from django.urls import path
from shop import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("customers/<int:customer_pk>/tickets/", views.open_ticket, name="open-ticket"),
]
