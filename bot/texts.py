"""Buyer-facing sentences the API itself says (the bot's own wording lives in domain.yml)."""

RASA_DOWN_APOLOGY = (
    "抱歉，智能客服暂时出了点状况，您的消息我们已经收到并保存了。"
    "已为您转接人工客服，预计{wait}分钟内有人回复您，请稍等一下～"
)

BOT_ERROR_APOLOGY = (
    "抱歉，这个问题我这边处理时出了点差错，您的消息已经保存。"
    "已为您转接人工客服，预计{wait}分钟内有人回复您～"
)

# While the buyer waits for a person (bot.services.agents.waiting_ack).
WAITING_ACK_FIRST = (
    "您的消息已收到，正在为您转接人工客服，您现在排在第1位，预计约{wait}分钟内接入，请稍候～"
)
WAITING_ACK_QUEUED = (
    "您的消息已收到，正在为您排队转接人工客服，前面还有{ahead}位，预计约{wait}分钟接入，请稍候～"
)
WAITING_ACK_NOBODY_ONLINE = (
    "您的消息已收到并保存。现在暂时没有人工客服在线，客服上线后会按顺序处理，"
    "最晚在{due}前回复您，请留意消息～"
)

# When an agent resolves the conversation and hands it back to the bot.
WELCOME_BACK = "客服已经处理完啦，之后有问题随时找我～"
