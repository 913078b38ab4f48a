"""Read-model rows for query tests (the projection is tested elsewhere)."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import factory

from apps.accounts_query.models import Account

START = datetime(2026, 1, 1, tzinfo=UTC)


class AccountFactory(factory.django.DjangoModelFactory[Account]):
    class Meta:
        model = Account

    id = factory.LazyFunction(uuid.uuid4)
    holder = factory.Sequence(lambda n: f"Holder {n}")
    account_type = "SAVINGS"
    balance = Decimal("100.00")
    status = Account.Status.OPEN
    opened_at = factory.Sequence(lambda n: START + timedelta(minutes=n))
    version = 1
    updated_at = factory.LazyAttribute(lambda o: o.opened_at)
