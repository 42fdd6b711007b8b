"""Business exceptions raised by the core and translated once at the edges (HTTP, bot replies)."""


class KefuError(Exception):
    """Base class of every business error."""


class OrderNotFound(KefuError):
    """No such order, or it belongs to someone else: the two look the same from outside."""


class ConversationNotFound(KefuError):
    """No such conversation for this visitor."""


class IllegalTransition(KefuError):
    """A conversation status change that the status table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"cannot move a conversation from {current} to {target}")
        self.current = current
        self.target = target


class InvalidSignature(KefuError):
    """A buyer signature or session token did not verify."""


class ConflictingMessageId(KefuError):
    """A client_message_id was reused for a different text."""


class TicketNotFound(KefuError):
    """No ticket with this id."""


class MissingTicketDetail(KefuError):
    """An action needs a detail that was not given, e.g. a reason to reject."""

    def __init__(self, action: str, detail: str) -> None:
        super().__init__(f"{action} 需要填写 {detail} / {action} needs {detail}")
        self.action = action
        self.detail = detail


class AttachmentTooLarge(KefuError):
    """An upload is over the size limit."""


class NotAnImage(KefuError):
    """An upload is not a JPEG, PNG, WebP or GIF image by its content."""


class IllegalTicketTransition(KefuError):
    """A ticket action that the ticket state table does not allow from the current status."""

    def __init__(self, kind: str, status: str, action: str) -> None:
        super().__init__(
            f"{kind} 工单在 {status} 状态下不能执行 {action} / "
            f"cannot {action} a {kind} ticket in status {status}"
        )
        self.kind = kind
        self.status = status
        self.action = action


class ClaimExists(KefuError):
    """The order item already has an active after-sales claim (one claim per item)."""

    def __init__(self, ticket_id: int, item_id: int) -> None:
        super().__init__(
            f"该商品已有售后单 {ticket_id} / item {item_id} already has active claim {ticket_id}"
        )
        self.ticket_id = ticket_id
        self.item_id = item_id


class AlreadyClaimed(KefuError):
    """Another agent took the conversation first (or it no longer waits for an agent)."""


class NotYourConversation(KefuError):
    """Only the agent who holds a conversation may reply, note, transfer or resolve it."""


class AgentNotFound(KefuError):
    """No agent with this name (e.g. the target of a transfer)."""
