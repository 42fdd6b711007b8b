import pytest

from bot.errors import InvalidSignature
from bot.security import (
    issue_session_token,
    read_session_token,
    sign_buyer_id,
    verify_buyer_signature,
)

SECRET = "s3cret"


def test_signature_verifies_for_the_signed_buyer_only() -> None:
    signature = sign_buyer_id("b1001", SECRET)
    verify_buyer_signature("b1001", signature, SECRET)
    with pytest.raises(InvalidSignature):
        verify_buyer_signature("b1002", signature, SECRET)
    with pytest.raises(InvalidSignature):
        verify_buyer_signature("b1001", sign_buyer_id("b1001", "other"), SECRET)


def test_session_token_round_trip_keeps_the_buyer() -> None:
    token, visitor = issue_session_token("b1001", SECRET, ttl_seconds=60, now=1000)
    assert read_session_token(token, SECRET, now=1030) == visitor
    assert visitor.visitor_id == "buyer:b1001" and not visitor.is_anonymous


def test_anonymous_tokens_get_distinct_visitor_ids() -> None:
    _, first = issue_session_token(None, SECRET, 60)
    _, second = issue_session_token(None, SECRET, 60)
    assert first.is_anonymous and first.visitor_id != second.visitor_id


@pytest.mark.parametrize("tamper", ["", "abc", "abc.def", "x.y.z"])
def test_malformed_tokens_are_rejected(tamper: str) -> None:
    with pytest.raises(InvalidSignature):
        read_session_token(tamper, SECRET)


def test_tampered_or_expired_tokens_are_rejected() -> None:
    token, _ = issue_session_token("b1001", SECRET, ttl_seconds=60, now=1000)
    _body, mac = token.split(".")
    forged_body, _ = issue_session_token("b1002", SECRET, 60, now=1000)
    with pytest.raises(InvalidSignature):
        read_session_token(f"{forged_body.split('.')[0]}.{mac}", SECRET, now=1001)
    with pytest.raises(InvalidSignature):
        read_session_token(token, SECRET, now=1061)
    with pytest.raises(InvalidSignature):
        read_session_token(token, "wrong-secret", now=1001)
