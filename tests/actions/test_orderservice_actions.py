"""Order services (actions/orderservice.py) against a real seeded SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.orderservice import (
    ActionServiceStart,
    ActionServiceSubmit,
    AskServiceTitle,
    ValidateServiceForm,
)
from bot import seed
from bot.store.models import Ticket
from bot.store.session import session_scope
from tests.actions.conftest import DOMAIN, turn, validate

FORM = "service_form"


def start_slots(sender: str, text: str, intent: str) -> dict[str, Any]:
    events = ActionServiceStart().run(CollectingDispatcher(), turn(sender, text, intent), DOMAIN)
    return {event["name"]: event["value"] for event in events if event["value"] is not None}


def submit(sender: str, **slots: Any) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    ActionServiceSubmit().run(dispatcher, turn(sender, "", form=FORM, **slots), DOMAIN)
    return dispatcher


def service_tickets(sessions: sessionmaker[Session], order_id: str) -> list[Ticket]:
    with session_scope(sessions) as session:
        query = select(Ticket).where(Ticket.order_id == order_id, Ticket.kind != "complaint")
        return list(session.scalars(query))


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [str(message.get("response")) for message in dispatcher.messages]


def test_the_first_message_fills_what_it_gives(chat_of: Callable[[str | None], str]) -> None:
    sender = chat_of("b1001")
    slots = start_slots(
        sender, "开专票，抬头杭州小禾科技有限公司，税号91330106MA2CXXXX0K", "request_invoice"
    )
    assert slots["svc_kind"] == "invoice"
    assert slots["svc_title"] == "杭州小禾科技有限公司"
    assert slots["svc_tax_no"] == "91330106MA2CXXXX0K"
    assert slots["svc_flags"] == "vat_special"
    change = start_slots(sender, "地址写错了，改成杭州市西湖区文三路100号", "change_order")
    assert change == {
        "svc_kind": "order_change",
        "svc_what": "address",
        "svc_detail": "杭州市西湖区文三路100号",
    }


def test_a_company_title_needs_a_tax_number_a_personal_one_does_not(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    form = ValidateServiceForm()
    company = turn(
        sender,
        "小禾科技有限公司",
        form=FORM,
        svc_kind="invoice",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_title",
    )
    _, slots = validate(form, company)
    assert slots["svc_title"] == "小禾科技有限公司"
    assert slots["requested_slot"] == "svc_tax_no"
    personal = turn(
        sender,
        "个人",
        form=FORM,
        svc_kind="invoice",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_title",
    )
    _, slots = validate(form, personal)
    assert slots["svc_title"] == "个人"
    assert slots.get("requested_slot") is None  # nothing more to ask


def test_not_understood_is_no_answer(chat_of: Callable[[str | None], str]) -> None:
    tracker = turn(
        chat_of("b1001"),
        "没看懂",
        intent="not_understood",
        form=FORM,
        svc_kind="order_change",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_detail",
        ask_state="svc_detail:1",
    )
    _, slots = validate(ValidateServiceForm(), tracker)
    assert slots.get("svc_detail") is None
    assert slots["requested_slot"] == "svc_detail"


def test_a_change_before_shipment_opens_a_request_and_claims_nothing_done(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    sender = chat_of("b1001")
    dispatcher = submit(
        sender,
        svc_kind="order_change",
        order_id=seed.PAID_NOT_SHIPPED,
        svc_what="address",
        svc_detail="杭州市西湖区文三路100号",
    )
    assert responses(dispatcher)[0] == "utter_service_opened_order_change"
    [ticket] = service_tickets(today_seeded, seed.PAID_NOT_SHIPPED)
    assert (ticket.kind, ticket.status) == ("order_change", "open")
    assert ticket.details == {"change": "address", "new_value": "杭州市西湖区文三路100号"}
    assert ticket.sla_due_at is not None
    # Asked again: the open request is reused, not filed twice.
    again = submit(
        sender,
        svc_kind="order_change",
        order_id=seed.PAID_NOT_SHIPPED,
        svc_what="address",
        svc_detail="杭州市西湖区文三路200号",
    )
    assert responses(again)[0] == "utter_service_already_open"
    [ticket] = service_tickets(today_seeded, seed.PAID_NOT_SHIPPED)
    assert ticket.details is not None and ticket.details["new_value"] == "杭州市西湖区文三路200号"


def test_a_shipped_order_cannot_be_changed_and_a_person_is_offered(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    dispatcher = submit(
        chat_of("b1001"), svc_kind="order_change", order_id=seed.IN_TRANSIT, svc_detail="下周三送"
    )
    [message] = [m for m in dispatcher.messages if m.get("response")]
    assert message["response"] == "utter_service_refused"
    assert "发货" in message["reason"]
    assert any(button["payload"] == "/request_human" for button in message["buttons"])
    assert service_tickets(today_seeded, seed.IN_TRANSIT) == []


def test_urging_a_shipped_order_shows_its_tracking(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    dispatcher = submit(chat_of("b1001"), svc_kind="shipping_urge", order_id=seed.IN_TRANSIT)
    assert responses(dispatcher)[:2] == ["utter_service_urge_shipped", "utter_order_status_shipped"]
    assert service_tickets(today_seeded, seed.IN_TRANSIT) == []


def test_urging_an_unshipped_order_files_a_request(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    dispatcher = submit(chat_of("b1001"), svc_kind="shipping_urge", order_id=seed.PAID_NOT_SHIPPED)
    assert responses(dispatcher)[0] == "utter_service_opened_shipping_urge"
    [ticket] = service_tickets(today_seeded, seed.PAID_NOT_SHIPPED)
    assert ticket.kind == "shipping_urge"


def test_someone_elses_order_opens_nothing(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    # UNPAID belongs to b1002.
    dispatcher = submit(
        chat_of("b1001"), svc_kind="invoice", order_id=seed.UNPAID, svc_title="个人"
    )
    assert responses(dispatcher) == ["utter_service_failed"]
    assert service_tickets(today_seeded, seed.UNPAID) == []


def test_a_statement_read_as_a_policy_question_still_answers_the_form(
    chat_of: Callable[[str | None], str],
) -> None:
    from actions.faq import ActionAnswerFaq

    tracker = turn(
        chat_of("b1001"),
        "颜色不变，尺码换成M",
        intent="faq",
        form=FORM,
        svc_kind="order_change",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_detail",
    )
    faq = CollectingDispatcher()
    ActionAnswerFaq().run(faq, tracker, DOMAIN)
    assert faq.messages == []  # no policy answer in the middle of the form
    _, slots = validate(ValidateServiceForm(), tracker)
    assert slots["svc_detail"] == "M"
    question = turn(
        chat_of("b1001"),
        "多久能改好？",
        intent="faq",
        form=FORM,
        svc_kind="order_change",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_detail",
    )
    _, slots = validate(ValidateServiceForm(), question)
    assert "svc_detail" not in slots  # a real question is left to the FAQ rule


def test_after_saying_company_a_short_name_is_the_company_and_needs_a_tax_number(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    form = ValidateServiceForm()
    slots_so_far = {"svc_kind": "invoice", "order_id": seed.PAID_NOT_SHIPPED}
    said_company = turn(sender, "公司的", form=FORM, requested_slot="svc_title", **slots_so_far)
    _, slots = validate(form, said_company)
    assert slots["svc_title"] is None and slots["svc_flags"] == "company"
    named = turn(
        sender,
        "小禾科技",
        form=FORM,
        requested_slot="svc_title",
        svc_flags="company",
        **slots_so_far,
    )
    _, slots = validate(form, named)
    assert slots["svc_title"] == "小禾科技"
    assert slots["requested_slot"] == "svc_tax_no"


def test_the_message_that_starts_the_form_can_name_the_order_by_its_item(
    chat_of: Callable[[str | None], str],
) -> None:
    # b1001 has four orders an invoice fits; 耳机 names one of them.
    sender = chat_of("b1001")
    start = turn(
        sender, "在吗，耳机那单想开个发票", "request_invoice", form=FORM, svc_kind="invoice"
    )
    _, slots = validate(ValidateServiceForm(), start)
    assert slots["order_id"] == seed.PAID_NOT_SHIPPED
    assert slots["requested_slot"] == "svc_title"


def test_a_company_given_while_the_order_is_asked_is_kept_and_picks_no_order(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    answer = turn(
        sender,
        "杭州云雀网络科技有限公司，税号91330106MA27XK3P5Q",
        form=FORM,
        svc_kind="invoice",
        requested_slot="order_id",
    )
    _, slots = validate(ValidateServiceForm(), answer)
    # The digits of the tax number once picked the 20000毫安 power bank's order.
    assert slots.get("order_id") is None
    assert slots["svc_title"] == "杭州云雀网络科技有限公司"
    assert slots["svc_tax_no"] == "91330106MA27XK3P5Q"
    assert slots["requested_slot"] == "order_id"


def test_thanks_in_answer_to_the_title_question_is_not_a_title(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    thanks = turn(
        sender,
        "好的，明白了，谢谢！",
        "thank",
        form=FORM,
        svc_kind="invoice",
        order_id=seed.PAID_NOT_SHIPPED,
        requested_slot="svc_title",
    )
    _, slots = validate(ValidateServiceForm(), thanks)
    assert slots.get("svc_title") is None
    assert slots["requested_slot"] == "svc_title"


def test_after_company_the_title_question_asks_only_for_the_name(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    slots = dict(svc_kind="invoice", order_id=seed.PAID_NOT_SHIPPED, requested_slot="svc_title")
    dispatcher = CollectingDispatcher()
    AskServiceTitle().run(dispatcher, turn(sender, "开发票", form=FORM, **slots), DOMAIN)
    assert responses(dispatcher) == ["utter_ask_svc_title"]
    assert dispatcher.messages[0]["buttons"]
    company = turn(sender, "公司的", form=FORM, svc_flags="company", **slots)
    dispatcher = CollectingDispatcher()
    AskServiceTitle().run(dispatcher, company, DOMAIN)
    assert responses(dispatcher) == ["utter_ask_svc_company_name"]
    assert not dispatcher.messages[0]["buttons"]


def test_the_order_a_service_allows_is_preferred_between_equally_named_ones(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    change = turn(sender, "改个送货时间", form=FORM, svc_kind="order_change")
    form = ValidateServiceForm()
    assert form.fits_the_request(change, seed.PAID_NOT_SHIPPED)
    assert not form.fits_the_request(change, seed.DELIVERED_2_DAYS)  # already delivered
