"""The shop's knowledge/ on the running product: re-read it now and see what is in use.

Every process also re-reads knowledge/ by itself when a file changes; this call makes the API's
copy current at once and tells the shop whether its edit is valid. A broken edit is refused
with the reason and the last good copy stays in use.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel

from api.deps import KnowledgeDep, require_shop_key
from bot.knowledge import KnowledgeError
from bot.knowledge_live import KnowledgeSnapshot

router = APIRouter(
    prefix="/api/v1/knowledge", tags=["knowledge"], dependencies=[Depends(require_shop_key)]
)


class KnowledgeOut(BaseModel):
    version: int
    loaded_at: datetime
    faq_topics: list[str]


def _out(snapshot: KnowledgeSnapshot) -> KnowledgeOut:
    return KnowledgeOut(
        version=snapshot.version, loaded_at=snapshot.loaded_at, faq_topics=sorted(snapshot.faq)
    )


@router.get("")
def knowledge_in_use(knowledge: KnowledgeDep) -> KnowledgeOut:
    return _out(knowledge.snapshot())


@router.post("/reload")
def reload_knowledge(knowledge: KnowledgeDep) -> KnowledgeOut:
    try:
        return _out(knowledge.reload())
    except KnowledgeError as error:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"knowledge/ 有错误，仍在使用上一次的有效版本：{error}",
        ) from error
