"""Writes to an organization's product list and to how its lots are shown to the public.

Events, lots and genealogy are written by the ledger (`coopchain.trace.services`) only;
what is here is master data (products, measured yields) and the publication flag of a lot,
which changes what the public sees, not what happened.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from coopchain.errors import Conflict, FieldError, InvalidInput
from coopchain.lib.gs1 import IdentifierError, normalise_gtin
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import require_write
from coopchain.trace.mass_balance import COMMODITIES
from coopchain.trace.models import Lot, Product, YieldFactor

HS_CODE = re.compile(r"^\d{4}(\.?\d{2}){0,3}$")
UNITS = (
    ("KGM", _("kilogram")),
    ("TNE", _("tonne")),
    ("LTR", _("litre")),
    ("H87", _("piece")),
)


@dataclass(frozen=True)
class ProductData:
    name: str
    gtin: str = ""
    hs_code: str = ""
    commodity: str = ""
    unit: str = "KGM"


def check_product_data(data: ProductData) -> tuple[list[FieldError], str]:
    """Every reason `data` cannot be a product, and the GTIN as stored (14 digits)."""
    errors: list[FieldError] = []
    gtin = ""
    if not data.name.strip():
        errors.append(FieldError("name", _("is required"), data.name))
    if data.gtin.strip():
        try:
            gtin = normalise_gtin(data.gtin.replace(" ", ""))
        except IdentifierError as error:
            errors.append(FieldError("gtin", str(error), data.gtin))
    if data.hs_code and not HS_CODE.match(data.hs_code.strip()):
        errors.append(
            FieldError(
                "hs_code", _("is not an HS code (4 to 10 digits, e.g. 0901.11)"), data.hs_code
            )
        )
    if data.commodity and data.commodity not in {code for code, _label in COMMODITIES}:
        errors.append(FieldError("commodity", _("is not a known commodity"), data.commodity))
    if data.unit not in {code for code, _label in UNITS}:
        errors.append(FieldError("unit", _("must be KGM, TNE, LTR or H87"), data.unit))
    return errors, gtin


def _save_product(product: Product, data: ProductData) -> Product:
    errors, gtin = check_product_data(data)
    if errors:
        raise InvalidInput(detail=_("The product was not saved."), errors=errors)
    if gtin and Product.objects.filter(gtin=gtin).exclude(pk=product.pk).exists():
        raise Conflict(
            detail=_("GTIN %(gtin)s belongs to another product.") % {"gtin": gtin},
            errors=[FieldError("gtin", _("is already used"), gtin)],
        )
    product.name = data.name.strip()
    product.gtin = gtin
    product.hs_code = data.hs_code.strip().replace(".", "")
    product.commodity = data.commodity
    product.unit = data.unit
    product.save()
    return product


@transaction.atomic
def create_product(*, organization: Organization, data: ProductData, by: Any) -> Product:
    require_write(by, organization)
    return _save_product(Product(organization=organization), data)


@transaction.atomic
def update_product(*, product: Product, data: ProductData, by: Any) -> Product:
    require_write(by, product.organization)
    return _save_product(product, data)


@transaction.atomic
def delete_product(*, product: Product, by: Any) -> None:
    require_write(by, product.organization)
    try:
        product.delete()
    except ProtectedError:
        raise Conflict(detail=_("Lots name this product; it cannot be deleted.")) from None


@transaction.atomic
def set_yield_factor(
    *,
    organization: Organization,
    input_product: Product,
    output_product: Product,
    factor: Decimal,
    tolerance: Decimal,
    source: str,
    by: Any,
) -> YieldFactor:
    """The organization's measured yield for a product pair (replacing an earlier one)."""
    require_write(by, organization)
    errors = []
    if not Decimal(0) < factor <= Decimal(100):
        errors.append(FieldError("factor", _("must be above 0 and at most 100"), str(factor)))
    if not Decimal(0) <= tolerance <= Decimal(1):
        errors.append(FieldError("tolerance", _("must be between 0 and 1"), str(tolerance)))
    for name, product in (("input_product", input_product), ("output_product", output_product)):
        if product.organization_id != organization.pk:
            errors.append(FieldError(name, _("is not one of this organization's products")))
    if errors:
        raise InvalidInput(detail=_("The yield was not saved."), errors=errors)
    found, _created = YieldFactor.objects.update_or_create(
        organization=organization,
        input_product=input_product,
        output_product=output_product,
        defaults={"factor": factor, "tolerance": tolerance, "source": source.strip()},
    )
    return found


@transaction.atomic
def publish_lot(*, lot: Lot, published: bool, by: Any) -> Lot:
    """Show (or stop showing) a lot's public trace page; only its owner decides."""
    require_write(by, lot.organization)
    Lot.objects.filter(pk=lot.pk).update(published=published)
    lot.published = published
    return lot
