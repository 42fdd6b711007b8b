// The shop's chat widget. Embed with one tag:
//   <script src="https://kefu.example/widget/widget.js" data-shop="demo"
//           data-buyer-id="b1001" data-signature="<hex HMAC from the shop's server>" defer></script>
// (no data-buyer-id: an anonymous visitor; optional data-title, data-max-bytes). Any element on
// the page with data-kefu-order="<order id>" opens the chat about that order. Every piece of
// buyer, bot and agent text goes into the page with textContent, never as HTML. Each message carries its own client_message_id: a message
// written while offline waits in an outbox (kept across reloads) and is retried with the same id,
// so the server stores it once.
(function () {
  "use strict";
  if (window.Kefu) return; // embedded twice: keep the first
  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  const data = (script && script.dataset) || {};
  const legacy = window.KEFU_IDENTITY || {};
  const config = {
    origin: script && script.src ? new URL(script.src, location.href).origin : "",
    shop: data.shop || "shop",
    buyerId: data.buyerId || legacy.buyerId || "",
    signature: data.signature || legacy.signature || "",
    title: data.title || "在线客服",
    maxBytes: Number(data.maxBytes) || 5 * 1024 * 1024,
  };
  const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
  const STATUS_TEXT = {
    bot: "智能客服为您服务",
    waiting_agent: "正在为您转接人工客服…",
    with_agent: "人工客服为您服务",
    resolved: "本次服务已结束",
  };
  const storeKey = "kefu:" + (config.buyerId || "anonymous");
  let state = readState();
  let status = "bot";
  let agentShown = "";
  let unread = 0;
  let stream = null;
  let pollTimer = null;
  let retryTimer = null;
  let flushing = false;
  let pending = 0; // turns waiting for their answer: the typing indicator shows meanwhile
  let agentTypingTimer = null; // set while a person is writing to the buyer
  const AGENT_TYPING_MS = 6000;
  let historyLoaded = false;
  let loading = null;
  let preStream = null; // the stream while the panel has never been opened
  const seen = new Set(); // message ids on screen: a reply can come by POST, stream and catch-up
  const bubbles = new Map(); // client_message_id -> the buyer's bubble

  // ---- the page ------------------------------------------------------------------------------

  const css = el("link", { rel: "stylesheet", href: config.origin + "/widget/widget.css" });
  document.head.appendChild(css);
  const launcher = el("button", { id: "kefu-launcher", type: "button", "aria-label": "联系客服" });
  launcher.append(icon("M4 5h16v11H9l-5 4z M8 10h8 M8 13h5"), el("span", { class: "kefu-label" }, "客服"));
  const badge = el("span", { id: "kefu-badge", hidden: "" });
  launcher.append(badge);
  const panel = el("section", { id: "kefu-panel", role: "dialog", "aria-label": config.title });
  const head = el("header", { id: "kefu-head" });
  const titles = el("div", { class: "kefu-titles" });
  const statusLine = el("div", { id: "kefu-status" }, STATUS_TEXT.bot);
  const netLine = el("div", { id: "kefu-net", hidden: "" }, "网络已断开，恢复后自动重发");
  titles.append(el("div", { class: "kefu-title" }, config.title), statusLine);
  const human = el("button", { id: "kefu-human", type: "button" }, "转人工");
  const close = el("button", { id: "kefu-close", type: "button", "aria-label": "收起" }, "×");
  head.append(titles, human, close);
  const log = el("div", { id: "kefu-log", "aria-live": "polite" });
  const typing = el("div", { id: "kefu-typing", hidden: "", "aria-label": "对方正在输入" });
  typing.append(el("i"), el("i"), el("i"));
  const form = el("form", { id: "kefu-form" });
  const file = el("input", { id: "kefu-file", type: "file", accept: IMAGE_TYPES.join(","), multiple: "", hidden: "" });
  const photo = el("button", { id: "kefu-photo", type: "button", "aria-label": "发送图片", title: "发送图片（也可以粘贴或拖入）" });
  photo.append(icon("M3 6h18v13H3z M3 16l5-5 4 4 3-3 6 6 M15.5 9.5h.01"));
  const input = el("textarea", { id: "kefu-input", rows: "1", maxlength: "2000", placeholder: "请输入您的问题…", autocomplete: "off" });
  const send = el("button", { id: "kefu-send", type: "submit" }, "发送");
  form.append(file, photo, input, send);
  const dropHint = el("div", { id: "kefu-drop" }, "松开即可上传图片");
  panel.append(head, netLine, log, form, dropHint);
  document.body.append(launcher, panel);

  function icon(d) { // a stroked SVG path: no icon font or emoji needed
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "kefu-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.append(path);
    return svg;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text); // never HTML
    return node;
  }

  // ---- events --------------------------------------------------------------------------------

  launcher.addEventListener("click", open);
  close.addEventListener("click", () => { panel.classList.remove("open"); launcher.hidden = false; });
  human.addEventListener("click", () => { open(); say("转人工"); });
  photo.addEventListener("click", () => file.click());
  file.addEventListener("change", () => { upload(Array.from(file.files || [])); file.value = ""; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("paste", (event) => {
    const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
    if (files.length) { event.preventDefault(); upload(files); }
  });
  panel.addEventListener("dragover", (event) => { event.preventDefault(); panel.classList.add("dragging"); });
  panel.addEventListener("dragleave", (event) => { if (event.target === panel || !panel.contains(event.relatedTarget)) panel.classList.remove("dragging"); });
  panel.addEventListener("drop", (event) => {
    event.preventDefault();
    panel.classList.remove("dragging");
    upload(Array.from((event.dataTransfer && event.dataTransfer.files) || []));
  });
  // "咨询这个订单" on the shop's own page: any element with data-kefu-order.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("[data-kefu-order]") : null;
    if (target) askOrder(target.getAttribute("data-kefu-order"));
  });
  window.addEventListener("online", () => { setOnline(true); flush(); catchUp(); });
  window.addEventListener("offline", () => setOnline(false));

  // ---- the server ----------------------------------------------------------------------------

  function readState() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (error) { return {}; }
  }
  function save() { localStorage.setItem(storeKey, JSON.stringify(state)); }

  async function api(path, options) {
    const headers = { "Content-Type": "application/json" };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const response = await fetch(config.origin + path, Object.assign({ headers }, options));
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) {
      const error = new Error((body && typeof body.detail === "string" && body.detail) || "HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  async function ensureConversation() {
    if (!state.token) {
      const body = config.buyerId ? { buyer_id: config.buyerId, signature: config.signature } : {};
      state.token = (await api("/api/v1/sessions", { method: "POST", body: JSON.stringify(body) })).token;
      state.conversationId = null;
      save();
    }
    if (!state.conversationId) {
      state.conversationId = (await api("/api/v1/conversations", { method: "POST" })).id;
      state.lastSeenId = 0;
      save();
    }
  }

  function forget() { // an expired token or a conversation that is gone: start again
    state = { outbox: state.outbox || [] };
    save();
    stopStream();
  }

  function messagesPath() { return "/api/v1/conversations/" + encodeURIComponent(state.conversationId) + "/messages"; }

  // ---- opening, history, live events ---------------------------------------------------------

  async function open() {
    panel.classList.add("open");
    launcher.hidden = true;
    unread = 0;
    showBadge();
    if (window.matchMedia("(min-width: 481px)").matches) input.focus();
    if (historyLoaded) return;
    if (!loading) loading = loadHistory().finally(() => { loading = null; });
    await loading;
  }

  async function loadHistory() {
    try {
      await ensureConversation();
      const history = await api(messagesPath());
      historyLoaded = true;
      if (preStream) { preStream.close(); preStream = null; }
      log.textContent = "";
      seen.clear();
      const waiting = new Set((state.outbox || []).map((item) => item.cid));
      Array.from(bubbles.keys()).forEach((cid) => { if (!waiting.has(cid)) bubbles.delete(cid); });
      if (!history.messages.length && !waiting.size) notice("亲，您好～我是智能客服，有什么可以帮您？");
      history.messages.forEach((message) => render(message, false));
      (state.outbox || []).forEach((item) => {
        const node = bubbles.get(item.cid);
        if (node) { if (!node.isConnected) log.append(node); } else bubbles.set(item.cid, buyerBubble(item.shown, "pending"));
      });
      scrollDown();
      setStatus(history.status, lastAgentName(history.messages), false);
      remember(history.messages);
      listen();
      flush();
    } catch (error) {
      if ((error.status === 401 || error.status === 404) && !state.retried) {
        state.retried = true; // once: a second failure is not a stale session
        forget();
        return loadHistory();
      }
      if (!log.childElementCount) notice("网络好像有点问题，请稍后再试");
    }
  }

  function lastAgentName(messages) {
    const agents = messages.filter((m) => m.sender === "agent" && m.agent_name);
    return agents.length ? agents[agents.length - 1].agent_name : "";
  }

  function remember(messages) {
    const top = messages.reduce((max, m) => Math.max(max, m.id || 0), state.lastSeenId || 0);
    if (top !== state.lastSeenId) { state.lastSeenId = top; save(); }
  }

  function listen() {
    if (stream || !window.EventSource || !state.conversationId) return;
    const url = config.origin + "/api/v1/conversations/" + encodeURIComponent(state.conversationId) +
      "/events?token=" + encodeURIComponent(state.token);
    const source = new EventSource(url);
    stream = source;
    let dropped = false;
    source.onopen = () => {
      stopPolling();
      setOnline(true);
      if (dropped) { dropped = false; catchUp(); flush(); } // what came while the stream was down
    };
    source.onmessage = (event) => {
      let body;
      try { body = JSON.parse(event.data); } catch (error) { return; }
      if (body.type === "message" && body.message && body.message.sender !== "buyer") arrive(body.message);
      if (body.type === "status") setStatus(body.status, body.agent_name, true);
      if (body.type === "typing") agentTyping(body.agent_name);
    };
    // The browser reconnects by itself; until then poll so nothing from a person is missed.
    source.onerror = () => {
      dropped = true;
      if (!pollTimer) pollTimer = setInterval(catchUp, 3000);
      if (source.readyState === EventSource.CLOSED) { stream = null; setTimeout(listen, 5000); }
    };
  }

  function stopStream() { if (stream) stream.close(); stream = null; }
  function stopPolling() { if (pollTimer) clearInterval(pollTimer); pollTimer = null; }

  // Missed messages: everything after the last id this browser has seen; the status is re-read.
  async function catchUp() {
    if (!state.conversationId || !state.token) return;
    try {
      const history = await api(messagesPath() + "?after=" + encodeURIComponent(state.lastSeenId || 0));
      history.messages.filter((m) => m.id > (state.lastSeenId || 0)).forEach((m) => {
        if (m.sender === "buyer" && m.client_message_id && bubbles.has(m.client_message_id)) seen.add(m.id);
        arrive(m);
      });
      remember(history.messages);
      setStatus(history.status, lastAgentName(history.messages) || agentShown, true);
      setOnline(true);
    } catch (error) {
      if (!error.status) setOnline(false);
    }
  }

  function arrive(message) {
    const node = render(message, true);
    remember([message]);
    if (node && !panel.classList.contains("open") && message.sender !== "buyer") { unread += 1; showBadge(); }
    if (message.sender === "agent") agentStoppedTyping();
    if (message.sender === "agent" || message.sender === "bot") hideTyping();
  }

  function showBadge() {
    badge.hidden = unread === 0;
    badge.textContent = unread > 99 ? "99+" : String(unread);
    launcher.setAttribute("aria-label", unread ? "联系客服（" + unread + " 条未读）" : "联系客服");
  }

  function setStatus(next, agentName, announce) {
    const before = status;
    status = next || "bot";
    if (agentName) agentShown = agentName;
    let text = STATUS_TEXT[status] || status;
    if (status === "with_agent" && agentShown) text = "人工客服 " + agentShown + " 为您服务";
    statusLine.textContent = text;
    panel.setAttribute("data-status", status);
    if (announce && before !== status) {
      if (status === "waiting_agent") notice("正在为您转接人工客服，请稍候…");
      else if (status === "with_agent") notice((agentShown ? "客服 " + agentShown : "人工客服") + " 已加入会话");
      else if ((status === "bot" || status === "resolved") && (before === "with_agent" || before === "waiting_agent")) {
        notice((agentShown ? "客服 " + agentShown : "人工客服") + " 已离开，智能客服继续为您服务");
      }
    }
    const person = status === "waiting_agent" || status === "with_agent";
    const live = stream && stream.readyState === 1;
    if (person && !live && !pollTimer) pollTimer = setInterval(catchUp, 3000);
    if ((!person || live) && pollTimer) stopPolling();
  }

  function setOnline(online) {
    netLine.hidden = online;
    panel.classList.toggle("offline", !online);
  }

  // ---- drawing messages ----------------------------------------------------------------------

  function render(message, scroll) {
    if (message.id) {
      if (seen.has(message.id)) return null;
      seen.add(message.id);
    }
    const sender = ["buyer", "bot", "agent", "system"].includes(message.sender) ? message.sender : "system";
    const cid = message.client_message_id;
    if (sender === "buyer" && cid && bubbles.has(cid)) return null; // already on screen from here
    let node;
    if (sender === "system") {
      node = notice(message.text, true);
    } else {
      node = el("div", { class: "kefu-msg kefu-" + sender, "data-id": String(message.id || "") });
      if (sender === "agent") node.append(el("div", { class: "kefu-name" }, "客服 " + (message.agent_name || "")));
      if (message.text) node.append(el("div", { class: "kefu-text" }, message.text));
      else if (sender === "buyer" && message.image) node.append(el("div", { class: "kefu-text" }, "［图片］"));
      const card = drawCard(message.custom);
      if (card) {
        if (!message.text) node.classList.add("kefu-cardonly");
        node.append(card);
      }
      if (message.buttons && message.buttons.length) node.append(drawButtons(message.buttons));
      if (!node.childElementCount) return null; // nothing a buyer can read
      log.insertBefore(node, typing.parentNode === log ? typing : null);
      if (sender === "buyer" && cid && (state.outbox || []).some((item) => item.cid === cid)) bubbles.set(cid, node);
    }
    if (scroll !== false) scrollDown();
    return node;
  }

  function drawButtons(buttons) {
    const box = el("div", { class: "kefu-buttons" });
    buttons.forEach((button) => {
      const choice = el("button", { type: "button" }, button.title);
      choice.addEventListener("click", () => say(String(button.title || ""), button.payload));
      box.append(choice);
    });
    return box;
  }

  function yuan(fen) { return typeof fen === "number" ? "¥" + (fen / 100).toFixed(2) : ""; }

  function drawCard(custom) {
    if (!custom || typeof custom !== "object") return null;
    if (custom.type === "order_card" && custom.order) {
      const order = custom.order;
      const card = el("div", { class: "kefu-card kefu-order-card", "data-order-id": String(order.id || "") });
      const top = el("div", { class: "kefu-card-head" });
      top.append(el("span", { class: "kefu-card-kind" }, "订单"), el("span", { class: "kefu-card-status" }, order.status_label || order.status || ""));
      card.append(top);
      (order.items || []).forEach((item) => {
        const row = el("div", { class: "kefu-card-row" });
        row.append(el("span", { class: "kefu-item" }, item.title || ""), el("span", { class: "kefu-qty" }, "×" + (item.quantity || 1)));
        card.append(row);
      });
      card.append(fact("实付", yuan(order.total_fen)));
      if (order.courier || order.tracking_no) card.append(fact("物流", [order.courier, order.tracking_no].filter(Boolean).join(" ")));
      if (order.latest_tracking) card.append(fact("最新", order.latest_tracking));
      card.append(el("div", { class: "kefu-card-foot" }, "订单号 " + (order.id || "")));
      return card;
    }
    if (custom.type === "ticket_card" && custom.ticket) {
      const ticket = custom.ticket;
      const card = el("div", { class: "kefu-card kefu-ticket-card", "data-ticket-id": String(ticket.id || "") });
      const top = el("div", { class: "kefu-card-head" });
      top.append(el("span", { class: "kefu-card-kind" }, (ticket.kind_label || ticket.kind || "工单")), el("span", { class: "kefu-card-status" }, ticket.status_label || ticket.status || ""));
      card.append(top);
      card.append(fact("工单号", String(ticket.id || "")));
      if (ticket.due_label) card.append(el("div", { class: "kefu-card-due" }, ticket.due_label));
      return card;
    }
    return null;
  }

  function fact(name, value) {
    const row = el("div", { class: "kefu-card-row" });
    row.append(el("span", { class: "kefu-fact-name" }, name), el("span", { class: "kefu-fact" }, value));
    return row;
  }

  function notice(text, fromServer) {
    const node = el("div", { class: "kefu-notice" + (fromServer ? " kefu-system" : "") }, text);
    log.insertBefore(node, typing.parentNode === log ? typing : null);
    scrollDown();
    return node;
  }

  function errorNotice(text) { notice(text).classList.add("kefu-error"); }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function buyerBubble(text, mark) {
    const node = el("div", { class: "kefu-msg kefu-buyer" });
    node.append(el("div", { class: "kefu-text" }, text));
    if (mark) node.classList.add("kefu-" + mark);
    node.append(el("div", { class: "kefu-state" }, mark === "pending" ? "发送中…" : ""));
    log.insertBefore(node, typing.parentNode === log ? typing : null);
    scrollDown();
    return node;
  }

  function mark(node, how, text) {
    if (!node) return;
    node.classList.remove("kefu-pending", "kefu-queued", "kefu-failed");
    if (how) node.classList.add("kefu-" + how);
    const line = node.querySelector(".kefu-state");
    if (line) line.textContent = text || "";
  }

  function showTyping() { pending += 1; typing.hidden = false; log.append(typing); scrollDown(); }
  function hideTyping() { pending = Math.max(0, pending - 1); if (!pending && !agentTypingTimer) typing.hidden = true; }

  // The console repeats its typing signal every few seconds while the agent writes, so the dots
  // go away by themselves a little after the agent stops (or at once when the reply arrives).
  function agentTyping(name) {
    typing.setAttribute("aria-label", (name || "客服") + "正在输入");
    typing.hidden = false;
    if (log.lastChild !== typing) { log.append(typing); scrollDown(); }
    clearTimeout(agentTypingTimer);
    agentTypingTimer = setTimeout(agentStoppedTyping, AGENT_TYPING_MS);
  }

  function agentStoppedTyping() {
    clearTimeout(agentTypingTimer);
    agentTypingTimer = null;
    typing.setAttribute("aria-label", "对方正在输入");
    if (!pending) typing.hidden = true;
  }

  // ---- sending: an outbox with fixed ids, flushed in order -----------------------------------

  function newId() {
    const raw = window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
    return raw.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64);
  }

  // A quick-reply press sends its title as the text (kept in the history) and its payload beside it.
  async function say(text, payload) {
    if (!historyLoaded) await open();
    const item = { cid: newId(), text: text, shown: text };
    if (payload) item.payload = payload;
    state.outbox = (state.outbox || []).concat([item]);
    save();
    bubbles.set(item.cid, buyerBubble(text, "pending"));
    flush();
  }

  function askOrder(orderId) {
    if (!/^\d{16,20}$/.test(orderId || "")) return;
    // Plain text, not an /inform{...} payload: Rasa's text normaliser rewrites a payload that
    // opens a conversation, and this wording reads as order_status with the number as entity.
    open().then(() => say("查询订单" + orderId));
  }

  async function flush() {
    if (flushing || !(state.outbox || []).length) return;
    flushing = true;
    clearTimeout(retryTimer);
    let resets = 0;
    try {
      while ((state.outbox || []).length) {
        const item = state.outbox[0];
        const bubble = bubbles.get(item.cid);
        mark(bubble, "pending", "发送中…");
        showTyping();
        let turn;
        try {
          await ensureConversation();
          const body = { text: item.text, client_message_id: item.cid };
          if (item.payload) body.payload = item.payload;
          turn = await api(messagesPath(), { method: "POST", body: JSON.stringify(body) });
        } catch (error) {
          hideTyping();
          if ((error.status === 401 || error.status === 404) && resets++ < 1) { forget(); continue; } // new session, same id
          if (error.status && error.status < 500 && error.status !== 429) {
            state.outbox.shift(); save();
            mark(bubble, "failed", "未发送：" + error.message);
            continue;
          }
          state.retries = (state.retries || 0) + 1;
          const wait = Math.min(15000, 1000 * 2 ** Math.min(state.retries, 4));
          mark(bubble, "queued", "未发送，网络恢复后自动重发");
          setOnline(false);
          retryTimer = setTimeout(flush, wait);
          return;
        }
        hideTyping();
        state.retries = 0;
        state.outbox.shift();
        seen.add(turn.buyer_message_id);
        if (bubble) bubble.setAttribute("data-id", String(turn.buyer_message_id));
        mark(bubble, "", "");
        setOnline(true);
        turn.messages.forEach((message) => render(message, true));
        remember(turn.messages.concat([{ id: turn.buyer_message_id }]));
        save();
        setStatus(turn.status, agentShown, true);
        listen();
      }
    } finally {
      flushing = false;
    }
  }

  // ---- photos --------------------------------------------------------------------------------

  async function upload(files) {
    if (!files.length) return;
    await open(); // the history first: drawing it clears the log
    files.forEach((picked) => {
      if (!IMAGE_TYPES.includes(picked.type)) {
        errorNotice("“" + (picked.name || "文件") + "”不是图片，只能上传 JPG、PNG、WebP 或 GIF");
        return;
      }
      if (picked.size > config.maxBytes) {
        errorNotice("图片“" + (picked.name || "") + "”太大了，不能超过 " + Math.round(config.maxBytes / 1048576) + " MB");
        return;
      }
      sendPhoto(picked);
    });
  }

  async function sendPhoto(picked) {
    const node = el("div", { class: "kefu-msg kefu-buyer kefu-photo-msg kefu-pending" });
    const preview = el("img", { class: "kefu-preview", alt: "待上传的图片" });
    preview.src = URL.createObjectURL(picked);
    const bar = el("div", { class: "kefu-progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" });
    const fill = el("span");
    bar.append(fill);
    const line = el("div", { class: "kefu-state" }, "上传中 0%");
    node.append(preview, bar, line);
    log.insertBefore(node, typing.parentNode === log ? typing : null);
    scrollDown();
    try {
      await ensureConversation();
      const result = await post(picked, (percent) => {
        fill.style.width = percent + "%";
        bar.setAttribute("aria-valuenow", String(percent));
        line.textContent = "上传中 " + percent + "%";
      });
      node.classList.remove("kefu-pending");
      node.setAttribute("data-attachment-id", result.id);
      bar.remove();
      line.textContent = "图片已上传";
    } catch (error) {
      node.classList.remove("kefu-pending");
      node.classList.add("kefu-failed");
      bar.remove();
      line.textContent = "上传失败：" + (error.message || "网络错误");
    }
  }

  function post(picked, progress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("POST", config.origin + "/api/v1/conversations/" + encodeURIComponent(state.conversationId) + "/attachments");
      request.setRequestHeader("Authorization", "Bearer " + state.token);
      request.upload.onprogress = (event) => { if (event.lengthComputable) progress(Math.round((event.loaded / event.total) * 100)); };
      request.onload = () => {
        let body = null;
        try { body = JSON.parse(request.responseText); } catch (error) { body = null; }
        if (request.status >= 200 && request.status < 300) { progress(100); resolve(body); return; }
        const error = new Error((body && typeof body.detail === "string" && body.detail.split(" / ")[0]) || "HTTP " + request.status);
        error.status = request.status;
        reject(error);
      };
      request.onerror = () => reject(new Error("网络错误，请稍后重试"));
      const body = new FormData();
      body.append("file", picked, picked.name || "photo");
      request.send(body);
    });
  }

  // ---- start ---------------------------------------------------------------------------------

  window.Kefu = { open: open, askOrder: askOrder, send: (text) => { open(); say(String(text)); } };
  // A conversation from an earlier visit: listen at once, so replies raise the unread badge.
  if (state.conversationId && state.token) {
    catchUpClosed();
  }
  async function catchUpClosed() {
    try {
      const history = await api(messagesPath());
      const unseen = history.messages.filter((m) => m.id > (state.lastSeenId || 0) && m.sender !== "buyer");
      unread = unseen.length;
      showBadge();
      setStatus(history.status, lastAgentName(history.messages), false);
      listenClosed();
    } catch (error) { /* opening the panel tries again */ }
  }
  function listenClosed() {
    // Until the panel opens, live messages only count as unread; opening draws the history.
    if (preStream || !window.EventSource) return;
    preStream = new EventSource(config.origin + "/api/v1/conversations/" + encodeURIComponent(state.conversationId) +
      "/events?token=" + encodeURIComponent(state.token));
    preStream.onmessage = (event) => {
      let body;
      try { body = JSON.parse(event.data); } catch (error) { return; }
      if (body.type === "message" && body.message && body.message.sender !== "buyer") { unread += 1; showBadge(); }
      if (body.type === "status") setStatus(body.status, body.agent_name, false);
    };
  }
  if ((state.outbox || []).length) open(); // unsent messages from before a reload: show and retry
})();
