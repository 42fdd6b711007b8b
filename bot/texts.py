"""Buyer-facing sentences the API itself says (the bot's own wording lives in domain.yml)."""

RASA_DOWN_APOLOGY = (
    "抱歉，智能客服暂时出了点状况，您的消息我们已经收到并保存了。"
    "已为您转接人工客服，预计{wait}分钟内有人回复您，请稍等一下～"
)

BOT_ERROR_APOLOGY = (
    "抱歉，这个问题我这边处理时出了点差错，您的消息已经保存。"
    "已为您转接人工客服，预计{wait}分钟内有人回复您～"
)
