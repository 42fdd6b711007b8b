"""Photo uploads: images by content only, size-limited, random names, own conversation only."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.store.models import Attachment
from bot.store.session import session_scope
from tests.api.conftest import buyer_headers, new_conversation


def _image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def _noise_png(size: tuple[int, int] = (100, 100)) -> bytes:
    """An incompressible PNG: its size in bytes follows its pixel count."""
    pixels = bytes((i * 7919) % 251 for i in range(size[0] * size[1] * 3))
    buffer = BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def _upload(
    client: TestClient,
    conversation_id: str,
    headers: dict[str, str],
    data: bytes,
    name: str = "photo.png",
    content_type: str = "image/png",
) -> httpx.Response:
    return client.post(
        f"/api/v1/conversations/{conversation_id}/attachments",
        headers=headers,
        files={"file": (name, data, content_type)},
    )


def test_a_real_png_is_stored_under_a_random_name(
    client: TestClient, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    data = _image()
    response = _upload(client, conversation_id, headers, data, name="../../etc/passwd.png")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "image/png" and body["size_bytes"] == len(data)
    assert len(body["id"]) == 32
    with session_scope(sessions) as session:
        row = session.get(Attachment, body["id"])
        assert row is not None and row.conversation_id == conversation_id
        stored = Path(settings.upload_dir) / row.stored_name
    assert stored.read_bytes() == data
    assert "passwd" not in row.stored_name and body["id"] not in row.stored_name
    assert [p.name for p in Path(settings.upload_dir).iterdir()] == [row.stored_name]


def test_jpeg_webp_and_gif_are_accepted(client: TestClient) -> None:
    headers = buyer_headers(client, None)
    conversation_id = new_conversation(client, headers)
    for fmt, content_type in (("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")):
        response = _upload(client, conversation_id, headers, _image(fmt), name="x.bin")
        assert response.status_code == 201, response.text
        assert response.json()["content_type"] == content_type


def test_text_renamed_to_png_is_415(client: TestClient, settings: Settings) -> None:
    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    for data in (b"hello, I am not a picture\n", _noise_png()[:5000], b""):
        response = _upload(client, conversation_id, headers, data)
        assert response.status_code == 415
        assert "PNG" in response.json()["detail"]
    assert not Path(settings.upload_dir).exists() or not any(Path(settings.upload_dir).iterdir())


def test_too_big_is_413(client: TestClient, settings: Settings) -> None:
    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    small = settings.model_copy(update={"attachment_max_bytes": 1000})
    client.app.state.settings = small  # type: ignore[attr-defined]
    big = _noise_png()  # about 30 KB
    response = _upload(client, conversation_id, headers, big)
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_more_than_a_megabyte_passes_the_body_limit_of_the_upload_route(
    client: TestClient,
) -> None:
    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    data = _noise_png((700, 700))
    assert 1_000_000 < len(data) < 5 * 1024 * 1024
    response = _upload(client, conversation_id, headers, data)
    assert response.status_code == 201, response.text
    too_big = b"x" * (6 * 1024 * 1024)
    response = _upload(client, conversation_id, headers, too_big)
    assert response.status_code == 413


def test_someone_elses_conversation_is_404(client: TestClient) -> None:
    owner = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, owner)
    for stranger in (buyer_headers(client, "b1002"), buyer_headers(client, None)):
        assert _upload(client, conversation_id, stranger, _image()).status_code == 404
    assert _upload(client, "0" * 32, owner, _image()).status_code == 404
    assert _upload(client, conversation_id, {}, _image()).status_code == 401


def test_a_missing_file_is_422(client: TestClient) -> None:
    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    url = f"/api/v1/conversations/{conversation_id}/attachments"
    response = client.post(url, headers=headers, data={"note": "x"})
    assert response.status_code == 422
    assert "file" in response.json()["detail"]
    assert client.post(url, headers=headers).status_code == 422


def test_a_photo_sent_after_the_ticket_opened_goes_on_that_ticket(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    from bot import seed
    from bot.services.tickets import open_after_sales_ticket
    from bot.store.models import OrderItem

    headers = buyer_headers(client, "b1001")
    conversation_id = new_conversation(client, headers)
    with session_scope(sessions) as session:
        seed.seed_demo(session)
        [shirt, _socks] = sorted(
            session.query(OrderItem).filter_by(order_id=seed.DELIVERED_2_DAYS), key=lambda i: i.id
        )
        ticket = open_after_sales_ticket(
            session,
            order_id=seed.DELIVERED_2_DAYS,
            order_item_id=shirt.id,
            kind="exchange",
            reason_code="quality",
            reason_text="开线了",
            shipping_paid_by="seller",
            refund_fen=0,
            buyer_id="b1001",
            conversation_id=conversation_id,
        )
        ticket_id = ticket.id
    later = [_upload(client, conversation_id, headers, _image(f)).json() for f in ("PNG", "JPEG")]
    with session_scope(sessions) as session:
        for photo in later:
            assert session.get(Attachment, photo["id"]).ticket_id == ticket_id  # type: ignore[union-attr]
