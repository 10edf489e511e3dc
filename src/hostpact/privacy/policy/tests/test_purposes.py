"""Purpose limitation: contact data serves only the purposes the data map declares (C17)."""

import pytest

from hostpact.accounts import services as accounts
from hostpact.core import clock
from hostpact.core.mail import queue_mail
from hostpact.core.models import OutboxMessage
from hostpact.privacy.policy import services
from hostpact.privacy.policy.tests.helpers import T0, publish_material
from hostpact.privacy.purposes import PurposeNotAllowed, check_use, declared
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db
PROMO = "marketing.communications.email.promotions"


@pytest.mark.commitment("C17")
def test_check_use_refuses_a_purpose_the_data_map_does_not_declare():
    """The email may serve billing, account management and our own promotions, but not
    third-party advertising, which no field of the data map declares for it."""
    person = make_subscriber()
    check_use(person.subject_id, "user.contact.email", PROMO)
    check_use(person.subject_id, "user.contact.email", "essential.service.account_management")
    with pytest.raises(PurposeNotAllowed) as exc:
        check_use(person.subject_id, "user.contact.email", "marketing.advertising.third_party")
    assert "declares no such use" in str(exc.value)
    with pytest.raises(PurposeNotAllowed):
        check_use(person.subject_id, "user.financial", "marketing.communications.email")


def test_declared_walks_narrower_categories_and_broader_purposes():
    """A category covers its narrower categories; a declared purpose covers narrower ones."""
    assert declared("user.contact", "essential.service.notifications.email")
    assert not declared("user.contact.email", "marketing")  # broader than any declaration
    with pytest.raises(ValueError):
        check_use(None, "user.contact.email", "no.such.purpose")


@pytest.mark.commitment("C17")
def test_mail_queue_refuses_promotions_after_opt_out_while_transactional_mail_goes():
    """A subscriber who opted out of promotions gets no promotion (nothing queued, the call
    raises), while transactional mail such as a password reset is still queued."""
    person = make_subscriber()
    queue_mail(person.subject_id, person.email, "Offer", "Hosting at half price.", "promotions")
    with clock.freeze(T0):
        version = publish_material(uses=[PROMO])
    with clock.freeze(version.effective_at):
        services.set_use(person.subject_id, PROMO, on=False, actor="test")
        before = OutboxMessage.objects.count()
        with pytest.raises(PurposeNotAllowed):
            queue_mail(person.subject_id, person.email, "Offer", "Half price.", "promotions")
        assert OutboxMessage.objects.count() == before
        accounts.send_verification(person)
        assert OutboxMessage.objects.count() == before + 1
        assert OutboxMessage.objects.order_by("-id")[0].category == "transactional"


def test_mail_of_an_unknown_category_is_refused():
    """A mail category with no declared purpose cannot be queued."""
    person = make_subscriber()
    with pytest.raises(PurposeNotAllowed):
        queue_mail(person.subject_id, person.email, "x", "y", "newsletter-of-partners")
    assert not OutboxMessage.objects.filter(category="newsletter-of-partners").exists()
