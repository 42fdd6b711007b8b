"""Buyer photo uploads into their own conversation (evidence for after-sales and complaints)."""

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile, status

from api.deps import CurrentVisitor, DbSession, SettingsDep
from api.schemas import AttachmentOut
from bot.errors import AttachmentTooLarge, ConversationNotFound, NotAnImage
from bot.services.attachments import link_to_waiting_ticket, save_attachment
from bot.services.conversations import get_visitor_conversation

router = APIRouter(prefix="/api/v1/conversations", tags=["attachments"])


@router.post(
    "/{conversation_id}/attachments",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
)
def upload_attachment(
    conversation_id: str,
    visitor: CurrentVisitor,
    db: DbSession,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File(description="JPEG, PNG, WebP or GIF")] = None,
) -> AttachmentOut:
    try:
        conversation = get_visitor_conversation(db, conversation_id, visitor)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
    if file is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "请选择要上传的图片 / a file field is required"
        )
    limit = settings.attachment_max_bytes
    data = file.file.read(limit + 1)  # one byte more than allowed is enough to refuse
    try:
        attachment = save_attachment(db, conversation.id, data, settings.upload_dir, limit)
    except AttachmentTooLarge:
        mb = limit / 1024 / 1024
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"图片不能超过 {mb:g} MB / the image must be at most {mb:g} MB",
        ) from None
    except NotAnImage:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            "只能上传 JPEG、PNG、WebP 或 GIF 图片 / only JPEG, PNG, WebP or GIF images",
        ) from None
    link_to_waiting_ticket(db, attachment)
    db.commit()
    return AttachmentOut(
        id=attachment.id, content_type=attachment.content_type, size_bytes=attachment.size_bytes
    )
