// The chat widget: one session per identity, every message sent with its own idempotency key
// (a retry after a network error reuses the key, so the buyer's message is never doubled).
(function () {
  "use strict";
  const identity = window.KEFU_IDENTITY || {};
  const who = identity.buyerId || "anonymous";
  const storeKey = "kefu:" + who;
  const STATUS_TEXT = {
    bot: "智能客服为您服务",
    waiting_agent: "正在为您转接人工客服…",
    with_agent: "人工客服为您服务",
    resolved: "本次服务已结束",
  };
  let state = JSON.parse(localStorage.getItem(storeKey) || "{}");
  let lastMessageId = 0;
  let pollTimer = null;
  let stream = null; // live messages from a person (server-sent events); polling only as a fallback
  const seenIds = new Set(); // message ids already on screen: a reply can come by POST and by stream

  const launcher = el("button", { id: "kefu-launcher", type: "button" }, "💬 联系客服");
  const panel = el("div", { id: "kefu-panel", role: "dialog", "aria-label": "在线客服" });
  const head = el("div", { id: "kefu-head" });
  const title = el("div", {}, "");
  title.appendChild(el("div", {}, "在线客服"));
  const statusLine = el("div", { id: "kefu-status" }, STATUS_TEXT.bot);
  title.appendChild(statusLine);
  const close = el("button", { type: "button", "aria-label": "关闭" }, "×");
  head.append(title, close);
  const log = el("div", { id: "kefu-log", "aria-live": "polite" });
  const form = el("form", { id: "kefu-form" });
  const input = el("input", { id: "kefu-input", maxlength: "2000", placeholder: "请输入您的问题…", autocomplete: "off" });
  const send = el("button", { id: "kefu-send", type: "submit" }, "发送");
  form.append(input, send);
  panel.append(head, log, form);
  document.body.append(launcher, panel);

  launcher.addEventListener("click", open);
  close.addEventListener("click", () => { panel.classList.remove("open"); launcher.style.display = ""; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text, text);
  });

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text; // never innerHTML: buyer and bot text are untrusted
    return node;
  }

  async function api(path, options) {
    const headers = { "Content-Type": "application/json" };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(path, Object.assign({ headers }, options));
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function save() { localStorage.setItem(storeKey, JSON.stringify(state)); }

  async function ensureConversation() {
    if (!state.token) {
      const body = identity.buyerId ? { buyer_id: identity.buyerId, signature: identity.signature } : {};
      state.token = (await api("/api/v1/sessions", { method: "POST", body: JSON.stringify(body) })).token;
      state.conversationId = null;
      save();
    }
    if (!state.conversationId) {
      state.conversationId = (await api("/api/v1/conversations", { method: "POST" })).id;
      save();
    }
  }

  async function open() {
    panel.classList.add("open");
    launcher.style.display = "none";
    input.focus();
    try {
      await loadHistory();
    } catch (error) {
      if (error.status === 401 || error.status === 404) { state = {}; save(); await loadHistory(); }
      else showNotice("网络好像有点问题，请稍后再试");
    }
  }

  async function loadHistory() {
    await ensureConversation();
    const history = await api("/api/v1/conversations/" + state.conversationId + "/messages");
    log.textContent = "";
    lastMessageId = 0;
    seenIds.clear();
    if (!history.messages.length) showNotice("亲，您好～有什么可以帮您？");
    history.messages.forEach(render);
    setStatus(history.status);
    listen();
  }

  function listen() {
    if (stream || !window.EventSource) return;
    const url = "/api/v1/conversations/" + encodeURIComponent(state.conversationId) +
      "/events?token=" + encodeURIComponent(state.token);
    stream = new EventSource(url);
    stream.onopen = () => { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } };
    stream.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message" && data.message.sender !== "buyer") render(data.message);
      if (data.type === "status") setStatus(data.status);
    };
    // The browser reconnects by itself; meanwhile poll so nothing from a person is missed, and
    // fetch what came while the stream was down once it is back (missed ids are fetched).
    stream.onerror = () => { if (!pollTimer) pollTimer = setInterval(poll, 3000); };
  }

  function render(message) {
    if (message.id && seenIds.has(message.id)) return null;
    if (message.id) seenIds.add(message.id);
    lastMessageId = Math.max(lastMessageId, message.id || 0);
    const bubble = el("div", { class: "kefu-msg kefu-" + message.sender, "data-id": String(message.id || "") }, message.text);
    if (message.buttons && message.buttons.length) {
      const box = el("div", { class: "kefu-buttons" });
      message.buttons.forEach((button) => {
        const choice = el("button", { type: "button" }, button.title);
        choice.addEventListener("click", () => say(button.title, button.title, button.payload));
        box.appendChild(choice);
      });
      bubble.appendChild(box);
    }
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  function showNotice(text) { render({ sender: "system", text: text }); }

  function setStatus(status) {
    statusLine.textContent = STATUS_TEXT[status] || status;
    // Without a live stream (old browser, stream down) a person's replies are polled instead.
    const waiting = status === "waiting_agent" || status === "with_agent";
    const live = stream && stream.readyState === 1;
    if (waiting && !live && !pollTimer) pollTimer = setInterval(poll, 3000);
    if ((!waiting || live) && pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  async function poll() {
    try {
      const history = await api("/api/v1/conversations/" + state.conversationId + "/messages");
      history.messages.filter((m) => m.id > lastMessageId && m.sender !== "buyer").forEach(render);
      setStatus(history.status);
    } catch (error) { /* keep polling: the next tick retries */ }
  }

  // A button press sends its title as the text (kept in the history) and its payload beside it.
  async function say(text, shown, payload) {
    const mine = render({ sender: "buyer", text: shown });
    const body = { text: text, client_message_id: "" };
    if (payload) body.payload = payload;
    const clientId = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9_-]/g, "");
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await ensureConversation();
        const turn = await api("/api/v1/conversations/" + state.conversationId + "/messages", {
          method: "POST", body: JSON.stringify({ ...body, client_message_id: clientId }),
        });
        lastMessageId = Math.max(lastMessageId, turn.buyer_message_id);
        turn.messages.forEach(render);
        setStatus(turn.status);
        return;
      } catch (error) {
        if (error.status && error.status < 500) break;
        await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
      }
    }
    mine.classList.add("kefu-failed");
    showNotice("消息没有发出去，请检查网络后重试");
  }
})();
