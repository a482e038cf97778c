"""The standard routes of a patient's child records, built once for every kind.

For a kind at ``/weights``: ``GET/POST /patients/{id}/weights`` and
``GET/PATCH /weights/{id}``, ``POST /weights/{id}/archive`` and ``/restore``.
Kinds with their own rules add routes beside these.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hemojoint.schemas.common import MAX_PAGE_SIZE, ArchiveRequest, PageOf, RestoreRequest
from hemojoint.services import child_records
from hemojoint.services.child_records import ChildKind
from hemojoint.web.api.deps import CurrentActor, DbSession

Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]

# to_values(body) -> column values; lets a kind rename or drop fields of its create schema.
ToValues = Callable[[BaseModel], Mapping[str, Any]]


def _dump(body: BaseModel) -> Mapping[str, Any]:
    return body.model_dump()


def child_routes(
    kind: ChildKind[Any],
    *,
    path: str,
    create_schema: type[BaseModel],
    update_schema: type[BaseModel],
    to_values: ToValues = _dump,
) -> APIRouter:
    router = APIRouter(tags=[kind.entity])
    read_schema: Any = kind.read_schema
    create_body: Any = create_schema
    update_body: Any = update_schema

    def render(record: Any) -> Any:
        return read_schema.model_validate(record)

    @router.get(f"/patients/{{patient_id}}{path}", name=f"list_{kind.entity}s")
    def list_records(
        patient_id: int,
        actor: CurrentActor,
        session: DbSession,
        archived: bool = False,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> PageOf[read_schema]:
        page = child_records.list_for_patient(
            session,
            actor,
            kind,
            patient_id=patient_id,
            archived=archived,
            offset=offset,
            limit=limit,
        )
        return PageOf.of(page, render)

    @router.post(f"/patients/{{patient_id}}{path}", status_code=201, name=f"create_{kind.entity}")
    def create_record(
        patient_id: int, body: create_body, actor: CurrentActor, session: DbSession
    ) -> read_schema:
        return render(
            child_records.create(
                session, actor, kind, patient_id=patient_id, values=to_values(body)
            )
        )

    @router.get(f"{path}/{{record_id}}", name=f"get_{kind.entity}")
    def get_record(record_id: int, actor: CurrentActor, session: DbSession) -> read_schema:
        return render(child_records.get(session, actor, kind, record_id=record_id))

    @router.patch(f"{path}/{{record_id}}", name=f"update_{kind.entity}")
    def update_record(
        record_id: int, body: update_body, actor: CurrentActor, session: DbSession
    ) -> read_schema:
        changes = body.model_dump(exclude_unset=True, exclude={"version"})
        return render(
            child_records.update(
                session, actor, kind, record_id=record_id, version=body.version, changes=changes
            )
        )

    @router.post(f"{path}/{{record_id}}/archive", name=f"archive_{kind.entity}")
    def archive_record(
        record_id: int, body: ArchiveRequest, actor: CurrentActor, session: DbSession
    ) -> read_schema:
        return render(
            child_records.set_archived(
                session, actor, kind, record_id=record_id, version=body.version, reason=body.reason
            )
        )

    @router.post(f"{path}/{{record_id}}/restore", name=f"restore_{kind.entity}")
    def restore_record(
        record_id: int, body: RestoreRequest, actor: CurrentActor, session: DbSession
    ) -> read_schema:
        return render(
            child_records.set_archived(
                session, actor, kind, record_id=record_id, version=body.version, reason=None
            )
        )

    return router
