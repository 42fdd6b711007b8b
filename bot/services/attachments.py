"""Buyer photos: images only, checked by their content, stored under random names."""

from __future__ import annotations

import secrets
from io import BytesIO
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.aftersales import FAULT_REASONS
from bot.enums import TicketKind
from bot.errors import AttachmentTooLarge, NotAnImage
from bot.services.tickets import FINISHED
from bot.store.models import Attachment, Ticket
from bot.timeutil import utcnow

# Pillow format name -> (content type, file suffix). Nothing else is accepted, whatever its name.
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
# A phone photo is 12 to 50 megapixels; more from a few MB is a decompression bomb.
MAX_PIXELS = 60_000_000


def image_format(data: bytes) -> str:
    """The Pillow format of a whole, decodable JPEG/PNG/WebP/GIF; anything else is NotAnImage."""
    try:
        with Image.open(BytesIO(data), formats=tuple(IMAGE_TYPES)) as image:
            found = image.format
            image.verify()  # checks structure and checksums, then leaves the image unusable
        with Image.open(BytesIO(data), formats=tuple(IMAGE_TYPES)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise NotAnImage(f"image too large in pixels: {width}x{height}")
            image.load()  # a full decode catches truncated or corrupt pixel data
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotAnImage("not a JPEG, PNG, WebP or GIF image") from None
    if found not in IMAGE_TYPES:
        raise NotAnImage(f"unsupported image format {found}")
    return found


def save_attachment(
    session: Session, conversation_id: str, data: bytes, upload_dir: Path, max_bytes: int
) -> Attachment:
    """Checks, writes the file, then adds the row (so a row never points at a missing file)."""
    if len(data) > max_bytes:
        raise AttachmentTooLarge(f"{len(data)} bytes is over the limit of {max_bytes}")
    content_type, suffix = IMAGE_TYPES[image_format(data)]
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + suffix  # unrelated to the public id
    with (upload_dir / stored_name).open("xb") as handle:
        handle.write(data)
    attachment = Attachment(
        id=secrets.token_hex(16),
        conversation_id=conversation_id,
        content_type=content_type,
        size_bytes=len(data),
        stored_name=stored_name,
        created_at=utcnow(),
    )
    session.add(attachment)
    session.flush()
    return attachment


def link_to_waiting_ticket(session: Session, attachment: Attachment) -> int | None:
    """A photo sent after the ticket opened (没有照片, 待会再传) goes on that ticket: the newest
    unfinished ticket of this conversation that expects photos (a fault or a complaint) and was
    opened without any. Otherwise photos stay loose until the claim being made opens."""
    query = (
        select(Ticket)
        .where(
            Ticket.conversation_id == attachment.conversation_id,
            Ticket.status.not_in(FINISHED),
            or_(Ticket.kind == TicketKind.COMPLAINT, Ticket.reason_code.in_(FAULT_REASONS)),
        )
        .order_by(Ticket.id.desc())
    )
    ticket = session.scalars(query).first()
    if ticket is None or any(a.created_at <= ticket.created_at for a in ticket.attachments):
        return None
    attachment.ticket_id = ticket.id
    session.flush()
    return ticket.id
