"""Data-map declarations of the audiences app.

The optional answers are the subscriber's own, given for two purposes the form states: to
improve the service (aggregate profiles) and first-party targeted advertising (an advertiser
names an audience; it never learns who is in it). They are kept while the account is open or
until the subscriber clears them, and deleted at erasure (their key is shredded as well). The
aggregate profile table is counts about no one: proprietary, with no subject (policy 3.1).
"""

from hostpact.audiences.models import Answers, ProfileCount
from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_uses = dict(purposes=("functional.service.improve",
                       "marketing.advertising.first_party.targeted"),
             retention="account", erasure=Erasure.DELETE)
declare(
    Answers,
    id=not_personal(), user=not_personal("the account the answers belong to"),
    subject=not_personal(),
    age_band=personal("user.demographic.age_range", label="Age band (your answer)", **_uses),
    gender=personal("user.demographic.gender", label="Gender (your answer)", **_uses),
    country=personal("user.demographic.profile", label="Country (your answer)", **_uses),
    org_type=personal("user.workplace", label="Organisation type (your answer)", **_uses),
    org_size=personal("user.workplace", label="Organisation size (your answer)", **_uses),
    products=personal("user.demographic.profile", label="Products you use or plan to use",
                      **_uses),
    topics=personal("user.demographic.profile", label="Topics you are interested in", **_uses),
    channel=personal("user.demographic.profile", label="How you prefer to hear from us",
                     **_uses),
    other=personal("user.demographic.profile", label="Anything else you told us", **_uses),
)
_counts = "a count of subscribers under two labels; about no one"
registry.declare_proprietary(ProfileCount, _counts)
registry.section(Answers, "About you (optional answers)", order=90)
registry.corrector(Answers, url_name="audiences:form", text="Change or clear your answers")
registry.back_office("audiences", roles=("marketing", "compliance"))
