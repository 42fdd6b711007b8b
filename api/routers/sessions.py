"""Widget sessions: a signed buyer id, or nothing for an anonymous visitor, becomes a token."""

from fastapi import APIRouter, HTTPException, status

from api.deps import SettingsDep
from api.schemas import SessionIn, SessionOut
from bot.errors import InvalidSignature
from bot.security import issue_session_token, verify_buyer_signature

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.post("", response_model=SessionOut, status_code=status.HTTP_201_CREATED)
def create_session(body: SessionIn, settings: SettingsDep) -> SessionOut:
    if (body.buyer_id is None) != (body.signature is None):
        raise HTTPException(422, "buyer_id and signature come together, or neither")
    if body.buyer_id is not None and body.signature is not None:
        try:
            verify_buyer_signature(
                body.buyer_id, body.signature, settings.widget_secret.get_secret_value()
            )
        except InvalidSignature:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "signature does not match") from None
    token, _visitor = issue_session_token(
        body.buyer_id, settings.session_secret.get_secret_value(), settings.session_ttl_seconds
    )
    return SessionOut(
        token=token, anonymous=body.buyer_id is None, expires_in=settings.session_ttl_seconds
    )
