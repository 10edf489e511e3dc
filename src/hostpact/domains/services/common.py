"""What every domain action shares: its error, name parsing, the years rule, the row lock."""

from hostpact.domains.models import MAX_YEARS, MIN_YEARS, Domain
from hostpact.domains.names import Name, NameRefused, parse_domain
from hostpact.domains.registry import RegistryError
from hostpact.privacy.rights.guard import lock_subject_for_write


class DomainError(Exception):
    """A domain action was refused; ``field`` names what is wrong, ``code`` says why.
    Nothing was changed."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def _domain_name(text: str, field: str = "name") -> Name:
    try:
        return parse_domain(text)
    except NameRefused as exc:
        raise DomainError(str(exc), field, exc.rule) from None


def _years(years, field="years") -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not (
            MIN_YEARS <= years <= MAX_YEARS):
        raise DomainError(f"Register for {MIN_YEARS} to {MAX_YEARS} years.", field, "years")
    return years


def _refused(exc: RegistryError, field: str = "name") -> DomainError:
    return DomainError(f"The registry refused: {exc}", field, exc.code)


def _locked(domain: Domain) -> Domain:
    """Lock the domain's subscriber, then the domain's row; answer the fresh row."""
    lock_subject_for_write(domain.subject_id)
    return Domain.objects.select_for_update().get(pk=domain.pk)
