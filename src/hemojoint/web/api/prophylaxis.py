"""Products of the centre, and a patient's prophylaxis regimens and factor infusions."""

from __future__ import annotations

from fastapi import APIRouter

from hemojoint.domain.prophylaxis import Factor
from hemojoint.schemas.common import ArchiveRequest, PageOf, RestoreRequest
from hemojoint.schemas.prophylaxis import (
    InfusionCreate,
    InfusionUpdate,
    ProductCreate,
    ProductRead,
    ProductUpdate,
    RegimenCreate,
    RegimenUpdate,
)
from hemojoint.services import prophylaxis
from hemojoint.services.prophylaxis import INFUSIONS, REGIMENS
from hemojoint.web.api.child_routes import Limit, Offset, child_routes
from hemojoint.web.api.deps import CurrentActor, DbSession

router = APIRouter()
products = APIRouter(prefix="/products", tags=["product"])


@products.get("")
def list_products(
    actor: CurrentActor,
    session: DbSession,
    factor: Factor | None = None,
    archived: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> PageOf[ProductRead]:
    page = prophylaxis.list_products(
        session, actor, factor=factor, archived=archived, offset=offset, limit=limit
    )
    return PageOf.of(page, ProductRead.model_validate)


@products.post("", status_code=201)
def create_product(body: ProductCreate, actor: CurrentActor, session: DbSession) -> ProductRead:
    return ProductRead.model_validate(prophylaxis.create_product(session, actor, data=body))


@products.get("/{product_id}")
def get_product(product_id: int, actor: CurrentActor, session: DbSession) -> ProductRead:
    record = prophylaxis.get_product(session, actor, product_id=product_id)
    return ProductRead.model_validate(record)


@products.patch("/{product_id}")
def update_product(
    product_id: int, body: ProductUpdate, actor: CurrentActor, session: DbSession
) -> ProductRead:
    record = prophylaxis.update_product(session, actor, product_id=product_id, data=body)
    return ProductRead.model_validate(record)


@products.post("/{product_id}/archive")
def archive_product(
    product_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
) -> ProductRead:
    record = prophylaxis.set_product_archived(
        session, actor, product_id=product_id, version=body.version, reason=body.reason
    )
    return ProductRead.model_validate(record)


@products.post("/{product_id}/restore")
def restore_product(
    product_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
) -> ProductRead:
    record = prophylaxis.set_product_archived(
        session, actor, product_id=product_id, version=body.version, reason=None
    )
    return ProductRead.model_validate(record)


router.include_router(products)
router.include_router(
    child_routes(
        REGIMENS, path="/regimens", create_schema=RegimenCreate, update_schema=RegimenUpdate
    )
)
router.include_router(
    child_routes(
        INFUSIONS, path="/infusions", create_schema=InfusionCreate, update_schema=InfusionUpdate
    )
)
