"""What the privacy spine knows of the resellers app: every field of its models."""

from hostpact.privacy.registry import declare, not_personal, personal
from hostpact.resellers.models import (
    ApiKey,
    ApiKeyUse,
    ForwardedRequest,
    Membership,
    Offboarding,
    OptOut,
    RemovalRequest,
    Reseller,
    ResellerHost,
    ResellerPrice,
)

_business = "a business's published details, not a person's"
declare(Reseller, **{f.name: not_personal(_business) for f in Reseller._meta.concrete_fields})
declare(ResellerHost, id=not_personal(), reseller=not_personal(), host=not_personal(_business),
        primary=not_personal())
declare(ResellerPrice, id=not_personal(), reseller=not_personal(), price=not_personal(),
        tld=not_personal(), amount=not_personal())
declare(Membership, id=not_personal(), reseller=not_personal(),
        user=not_personal("a staff member's account id"), role=not_personal(),
        created_at=not_personal())
declare(ApiKey, **{f.name: not_personal("a business's credential: the secret only as SHA-256")
                   for f in ApiKey._meta.concrete_fields})
declare(ApiKeyUse, **{f.name: not_personal("a reseller's server calls, no person's data")
                      for f in ApiKeyUse._meta.concrete_fields})
_ids = "ids, dates and states; no personal value"
declare(RemovalRequest, **{f.name: not_personal(_ids)
                           for f in RemovalRequest._meta.concrete_fields})
declare(OptOut, **{f.name: not_personal(_ids) for f in OptOut._meta.concrete_fields})
declare(Offboarding, **{f.name: not_personal(_ids) for f in Offboarding._meta.concrete_fields})
declare(ForwardedRequest, **{f.name: not_personal(_ids)
                             for f in ForwardedRequest._meta.concrete_fields
                             if f.name != "message"},
        message=personal("user.content.private", purposes=("essential.service",),
                         label="Request forwarded to your reseller"))
