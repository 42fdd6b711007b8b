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
