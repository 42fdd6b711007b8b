// The agent console: sign in with a personal token, watch the queue live, claim a conversation,
// answer the buyer or leave internal notes, resolve. Buyer and agent text is untrusted: every piece
// of it goes into the page with textContent or setAttribute, never as HTML.
(function () {
  "use strict";
  const TOKEN_KEY = "kefu-agent-token";
  const NAME_KEY = "kefu-agent-name";
  const POLL_MS = 5000;
  const TYPING_EVERY_MS = 3000; // the widget keeps the dots 6 s after each signal
  const STREAM_RETRY_MS = 30000;
  const TITLE = "客服工作台";
  const FLASH = "【新会话待接入】";

  const STATUS = { bot: "机器人接待", waiting_agent: "排队中", with_agent: "人工接待中", resolved: "已结束" };
  const REASONS = {
    request_human: "买家要求转人工",
    complaint: "投诉",
    bot_requested: "机器人转人工",
    fallback: "机器人连续没听懂",
    fallbacks: "机器人连续没听懂",
    bot_error: "机器人出错",
    rasa_unreachable: "机器人不可用",
  };
  const CATEGORIES = {
    quality_defect: "质量问题",
    not_as_described: "与描述不符",
    wrong_or_missing_item: "错发漏发",
    logistics_delay: "物流延误",
    logistics_lost: "快递丢失",
    logistics_damaged: "运输破损",
    not_shipped: "未发货",
    after_sales_unresolved: "售后未解决",
    service_attitude: "服务态度",
    false_advertising: "虚假宣传",
    other: "其他",
  };
  const ORDER_STATUS = {
    pending_payment: "待付款", paid: "已付款", shipped: "已发货", delivered: "已签收",
    completed: "已完成", cancelled: "已取消",
  };
  const TICKET_KIND = {
    refund_only: "仅退款", return_refund: "退货退款", exchange: "换货", repair: "维修", complaint: "投诉",
  };
  const TICKET_STATUS = {
    requested: "待处理", approved: "已同意", rejected: "已拒绝", awaiting_return: "待退货", returned: "已寄回",
    received: "已收货", refunded: "已退款", exchanged: "已换货", repaired: "已维修", withdrawn: "已撤销",
    open: "待处理", in_progress: "处理中", resolved: "已解决", closed: "已关闭",
  };
  const SENDER = { buyer: "买家", bot: "机器人", agent: "客服", system: "系统" };

  const $ = (id) => document.getElementById(id);
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || "",
    myName: sessionStorage.getItem(NAME_KEY) || "",
    tab: "queue",
    queue: [],
    mine: [],
    resolved: [],
    view: "work",
    charts: {},
    mineIds: new Set(),
    knownWaiting: null, // ids seen in the queue; null until the first load
    openId: null,
    openStatus: null,
    stream: null,
    streamRetry: null,
    pollTimer: null,
    listsTimer: null,
    detailTimer: null,
    flashTimer: null,
  };

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text); // text only, never parsed as markup
    return node;
  }

  function label(map, key, fallback) {
    if (key === null || key === undefined || key === "") return fallback || "";
    return map[key] || String(key);
  }

  function parseTime(value) {
    if (!value) return null;
    let text = String(value);
    if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text)) text += "Z"; // times without a zone are UTC
    const date = new Date(text);
    return isNaN(date.getTime()) ? null : date;
  }

  function duration(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    if (hours) return hours + " 小时 " + minutes + " 分";
    if (minutes) return minutes + " 分 " + (seconds % 60) + " 秒";
    return (seconds % 60) + " 秒";
  }

  function clock(value) {
    const date = parseTime(value);
    if (!date) return "";
    const sameDay = date.toDateString() === new Date().toDateString();
    const time = date.toLocaleTimeString("zh-CN", { hour12: false, hour: "2-digit", minute: "2-digit" });
    return sameDay ? time : date.toLocaleDateString("zh-CN") + " " + time;
  }

  function yuan(fen) {
    return typeof fen === "number" ? "¥" + (fen / 100).toFixed(2) : "";
  }

  function agentName(agent) {
    if (!agent) return "";
    if (typeof agent === "string") return agent;
    return agent.display_name || agent.name || "";
  }

  function badge(priority) {
    const level = /^P[1-4]$/.test(priority || "") ? priority : "P3";
    return el("span", { class: "badge " + level.toLowerCase(), title: "优先级" }, level);
  }

  function detailOf(data) {
    if (!data) return "";
    if (typeof data.detail === "string") return data.detail;
    if (Array.isArray(data.detail)) return data.detail.map((item) => item.msg || "").join("；");
    return "";
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = { Authorization: "Bearer " + state.token };
    if (opts.body) opts.headers["Content-Type"] = "application/json";
    const response = await fetch(path, opts);
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!response.ok) {
      const error = new Error(detailOf(data) || "HTTP " + response.status);
      error.status = response.status;
      if (response.status === 401) signOut("令牌无效或已失效，请重新登录");
      throw error;
    }
    return data;
  }

  // ---- sign in / out -------------------------------------------------------------------------

  $("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) return;
    $("signin-btn").disabled = true;
    $("signin-error").textContent = "";
    try {
      await signIn(token);
      $("token-input").value = "";
    } catch (error) {
      if (error.status !== 401) showSignIn("登录失败：" + (error.status ? error.message : "无法连接服务器"));
    } finally {
      $("signin-btn").disabled = false;
    }
  });

  $("signout-btn").addEventListener("click", async () => {
    try {
      await api("/api/v1/agent/presence", { method: "POST", body: JSON.stringify({ online: false }) });
    } catch (error) { /* signing out locally still works */ }
    signOut("已下线");
  });

  async function signIn(token) {
    state.token = token;
    await api("/api/v1/agent/presence", { method: "POST", body: JSON.stringify({ online: true }) });
    sessionStorage.setItem(TOKEN_KEY, token);
    $("signin").hidden = true;
    $("app").hidden = false;
    $("signout-btn").hidden = false;
    $("views").hidden = false;
    const shown = sessionStorage.getItem(NAME_KEY + ":shown") || state.myName;
    $("who").textContent = shown ? "客服：" + shown + " · 在线" : "在线";
    await Promise.all([loadQueue(), loadMine(), loadCanned()]);
    startStream();
  }

  function showSignIn(message) {
    $("app").hidden = true;
    $("signout-btn").hidden = true;
    $("views").hidden = true;
    $("dashboard").hidden = true;
    $("live-state").hidden = true;
    $("who").textContent = "";
    $("signin").hidden = false;
    $("signin-error").textContent = message || "";
    $("token-input").focus();
  }

  function signOut(message) {
    stopStream();
    stopPolling();
    stopFlash();
    state.token = "";
    state.myName = "";
    state.openId = null;
    state.knownWaiting = null;
    state.mineIds = new Set();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(NAME_KEY);
    sessionStorage.removeItem(NAME_KEY + ":shown");
    $("conv").hidden = true;
    $("detail-empty").hidden = false;
    showSignIn(message);
  }

  // The agent's own name is learnt from the first claim (the presence call does not return it).
  function rememberName(name, shown) {
    if (!name) return;
    state.myName = name;
    sessionStorage.setItem(NAME_KEY, name);
    sessionStorage.setItem(NAME_KEY + ":shown", shown || name);
    $("who").textContent = "客服：" + (shown || name) + " · 在线";
  }

  // ---- the lists on the left -----------------------------------------------------------------

  $("tab-queue").addEventListener("click", () => switchTab("queue"));
  $("tab-mine").addEventListener("click", () => switchTab("mine"));
  $("tab-resolved").addEventListener("click", () => { switchTab("resolved"); loadResolved().catch(() => {}); });

  function switchTab(tab) {
    state.tab = tab;
    ["queue", "mine", "resolved"].forEach((name) => {
      $("tab-" + name).classList.toggle("active", tab === name);
      $(name + "-list").hidden = tab !== name;
    });
    updateEmpty();
  }

  function updateEmpty() {
    const count = { queue: state.queue.length, mine: state.mine.length, resolved: state.resolved.length }[state.tab];
    $("list-empty").hidden = count > 0;
    $("list-empty").textContent = { queue: "暂无排队的会话", mine: "您名下暂无会话", resolved: "暂无已结束的会话" }[state.tab];
  }

  async function loadResolved() {
    const rows = await api("/api/v1/agent/conversations?box=resolved");
    state.resolved = rows;
    const list = $("resolved-list");
    list.textContent = "";
    rows.forEach((row) => {
      const item = el("li", { class: "resolved-item", "data-id": row.id });
      const top = el("div", { class: "row" });
      top.append(badge(row.priority), el("span", { class: "tag" }, label(STATUS, row.status)));
      if (row.reason) top.append(el("span", { class: "tag reason" }, label(REASONS, row.reason)));
      item.append(top, el("div", { class: "row muted" }, "买家 " + (row.buyer_id || "匿名访客") + " · " + clock(row.updated_at)));
      item.addEventListener("click", () => openConversation(row.id));
      list.append(item);
    });
    markSelected();
    updateEmpty();
  }

  async function loadQueue() {
    const entries = await api("/api/v1/agent/queue");
    const ids = new Set(entries.map((entry) => entry.conversation_id));
    if (state.knownWaiting && entries.some((entry) => !state.knownWaiting.has(entry.conversation_id))) {
      flashTitle();
    }
    state.knownWaiting = ids;
    state.queue = entries;
    renderQueue();
  }

  function renderQueue() {
    const list = $("queue-list");
    list.textContent = "";
    state.queue.forEach((entry) => {
      const item = el("li", { class: "queue-item", "data-id": entry.conversation_id });
      const top = el("div", { class: "row" });
      top.append(badge(entry.priority));
      if (entry.category) top.append(el("span", { class: "tag category" }, label(CATEGORIES, entry.category)));
      top.append(el("span", { class: "tag reason" }, label(REASONS, entry.reason, "转人工")));
      top.append(el("span", { class: "spacer" }));
      if (entry.position) top.append(el("span", { class: "muted" }, "第 " + entry.position + " 位"));
      const times = el("div", { class: "row" });
      times.append(
        el("span", { class: "muted wait", "data-since": entry.waiting_since || "" }),
        el("span", { class: "sla", "data-due": entry.sla_due_at || "" }),
      );
      const who = el("div", { class: "row muted" }, "买家 " + (entry.buyer_id || "匿名访客"));
      const last = el("div", { class: "row last-text" }, entry.last_buyer_text || "");
      last.setAttribute("title", entry.last_buyer_text || "");
      item.append(top, times, who, last);
      item.addEventListener("click", () => openConversation(entry.conversation_id));
      list.append(item);
    });
    $("queue-count").textContent = String(state.queue.length);
    markSelected();
    tick();
    updateEmpty();
    setTitle();
  }

  async function loadMine() {
    const rows = await api("/api/v1/agent/conversations?box=mine");
    state.mine = rows;
    state.mineIds = new Set(rows.map((row) => row.id));
    const list = $("mine-list");
    list.textContent = "";
    rows.forEach((row) => {
      const item = el("li", { class: "mine-item", "data-id": row.id });
      const top = el("div", { class: "row" });
      top.append(badge(row.priority), el("span", { class: "tag" }, label(STATUS, row.status)));
      if (row.reason) top.append(el("span", { class: "tag reason" }, label(REASONS, row.reason)));
      const who = el("div", { class: "row muted" }, "买家 " + (row.buyer_id || "匿名访客") + " · 更新于 " + clock(row.updated_at));
      item.append(top, who);
      item.addEventListener("click", () => openConversation(row.id));
      list.append(item);
    });
    $("mine-count").textContent = String(rows.length);
    markSelected();
    updateEmpty();
  }

  async function loadCanned() {
    let replies = [];
    try { replies = await api("/api/v1/agent/canned-replies"); } catch (error) { return; }
    const select = $("canned-select");
    select.length = 1; // keep the placeholder option
    (replies || []).forEach((reply, index) => {
      const option = el("option", { value: String(index) }, reply.title);
      option.setAttribute("title", reply.text || "");
      select.append(option);
    });
    select.onchange = () => {
      const reply = replies[Number(select.value)];
      select.value = "";
      if (!reply) return;
      insertText(reply.text || "");
    };
  }

  function insertText(text) {
    const box = $("reply-text");
    const start = box.selectionStart || 0;
    const end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
  }

  function markSelected() {
    document.querySelectorAll(".list li").forEach((item) => {
      item.classList.toggle("selected", item.getAttribute("data-id") === state.openId);
    });
  }

  // Waiting time and SLA countdown, every second, from the times the server gave.
  function tick() {
    const now = Date.now();
    document.querySelectorAll("#queue-list .wait").forEach((node) => {
      const since = parseTime(node.getAttribute("data-since"));
      node.textContent = since ? "已等待 " + duration(now - since.getTime()) : "";
    });
    document.querySelectorAll("#queue-list .sla").forEach((node) => {
      const due = parseTime(node.getAttribute("data-due"));
      if (!due) { node.textContent = ""; return; }
      const left = due.getTime() - now;
      node.classList.toggle("overdue", left < 0);
      node.classList.toggle("soon", left >= 0 && left < 5 * 60 * 1000);
      node.textContent = left < 0 ? "SLA 已超时 " + duration(-left) : "SLA 剩余 " + duration(left);
    });
  }
  setInterval(tick, 1000);

  // ---- the open conversation -----------------------------------------------------------------

  async function openConversation(id) {
    state.openId = id;
    state.openStatus = null;
    $("conv-error").textContent = "";
    $("transcript").textContent = "";
    $("detail-empty").hidden = true;
    $("conv").hidden = false;
    markSelected();
    await refreshConversation();
  }

  async function refreshConversation() {
    const id = state.openId;
    if (!id) return;
    let data;
    try {
      data = await api("/api/v1/agent/conversations/" + encodeURIComponent(id));
    } catch (error) {
      if (id === state.openId && error.status !== 401) {
        showError(error.status === 404 ? "会话不存在" : "加载会话失败：" + error.message);
      }
      return;
    }
    if (id === state.openId) renderConversation(id, data);
  }

  function renderConversation(id, data) {
    const conv = data.conversation || {};
    const holder = agentName(conv.agent); // the login name, as in transfer
    const holderShown = conv.agent_display_name || holder;
    const buyer = conv.buyer_id || (state.queue.find((e) => e.conversation_id === id) || {}).buyer_id ||
      (state.mine.find((row) => row.id === id) || {}).buyer_id;
    state.openStatus = conv.status;
    $("conv-title").textContent = "买家 " + (buyer || "匿名访客") + " · 会话 " + id;
    const meta = $("conv-meta");
    meta.textContent = "";
    meta.append(badge(conv.priority), " ");
    meta.append(el("span", { id: "conv-status", class: "tag" }, label(STATUS, conv.status)), " ");
    if (conv.reason) meta.append(el("span", { class: "tag" }, label(REASONS, conv.reason)), " ");
    if (holder) meta.append(el("span", { class: "muted" }, "接待客服：" + holderShown));

    const mine = conv.status === "with_agent" &&
      ((state.myName && holder === state.myName) || state.mineIds.has(id));
    $("claim-btn").disabled = conv.status !== "waiting_agent";
    $("resolve-btn").disabled = !mine;
    $("transfer-btn").disabled = !mine;
    $("transfer-to").disabled = !mine;
    $("reply-text").disabled = !mine;
    $("reply-send").disabled = !mine;
    $("note-check").disabled = !mine;
    $("canned-select").disabled = !mine;
    $("reply-text").placeholder = mine ? "输入回复，Ctrl+Enter 发送" :
      conv.status === "waiting_agent" ? "点击“接入”后才能回复" :
      conv.status === "with_agent" ? "该会话由其他客服接待" : "会话未在人工接待中";

    renderTranscript(data.messages || []);
    renderTriage(data.triage);
    renderOrders(data.orders || []);
    renderTickets(data.tickets || []);
  }

  function renderTranscript(messages) {
    const log = $("transcript");
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const before = log.childElementCount;
    log.textContent = "";
    messages.forEach((message) => {
      const sender = SENDER[message.sender] ? message.sender : "system";
      const classes = ["msg", "msg-" + sender];
      let who = SENDER[sender];
      if (sender === "agent" && message.agent_name) who += " " + message.agent_name;
      if (message.internal) {
        classes.push("msg-internal");
        who = "内部备注" + (message.agent_name ? " · " + message.agent_name : "");
      }
      const bubble = el("div", { class: classes.join(" "), "data-id": String(message.id || "") });
      bubble.append(el("div", { class: "who" }, who + "  " + clock(message.created_at)));
      if (message.text) bubble.append(el("div", { class: "text" }, message.text));
      const card = cardOf(message.custom);
      if (card) bubble.append(card);
      if (message.buttons && message.buttons.length) {
        bubble.append(el("div", { class: "muted" }, "按钮：" + message.buttons.map((b) => b.title).join(" / ")));
      }
      if (message.image) bubble.append(el("div", { class: "muted" }, "［图片］"));
      log.append(bubble);
    });
    if (atBottom || log.childElementCount !== before) log.scrollTop = log.scrollHeight;
  }

  // The order and ticket cards the bot sent, as the agent needs them: one line of facts each.
  function cardOf(custom) {
    if (!custom || typeof custom !== "object") return null;
    if (custom.type === "order_card" && custom.order) {
      const order = custom.order;
      const items = (order.items || []).map((item) => item.title + " ×" + item.quantity).join("、");
      const facts = [order.status_label || order.status, items, yuan(order.total_fen), order.courier, order.tracking_no, order.latest_tracking];
      return el("div", { class: "msg-card" }, "［订单卡片 " + order.id + "］" + facts.filter(Boolean).join(" · "));
    }
    if (custom.type === "ticket_card" && custom.ticket) {
      const ticket = custom.ticket;
      const facts = [ticket.kind_label || ticket.kind, ticket.status_label || ticket.status, ticket.due_label];
      return el("div", { class: "msg-card" }, "［工单卡片 #" + ticket.id + "］" + facts.filter(Boolean).join(" · "));
    }
    return null;
  }

  function renderTriage(triage) {
    const box = $("triage");
    box.textContent = "";
    if (!triage) {
      box.append(el("div", { class: "muted" }, "暂无分诊结果"));
      return;
    }
    const row = el("div", { class: "row" });
    row.append(badge(triage.priority), el("span", { class: "tag category" }, label(CATEGORIES, triage.category, "未分类")));
    box.append(row);
    let reasons = triage.reasons || [];
    if (typeof reasons === "string") reasons = [reasons];
    else if (!Array.isArray(reasons)) reasons = Object.entries(reasons).map(([key, value]) => key + "：" + value);
    if (reasons.length) {
      const list = el("ul");
      reasons.filter((reason) => reason).forEach((reason) => list.append(el("li", {}, String(reason))));
      box.append(list);
    }
  }

  function renderOrders(orders) {
    const list = $("orders");
    list.textContent = "";
    if (!orders.length) list.append(el("li", { class: "muted" }, "没有订单"));
    orders.forEach((order) => {
      const item = el("li");
      const top = el("div", { class: "row" });
      top.append(el("span", {}, order.order_id), el("span", { class: "tag" }, label(ORDER_STATUS, order.status)));
      item.append(top);
      if (order.summary) item.append(el("div", { class: "text" }, order.summary));
      if (typeof order.total_fen === "number") item.append(el("div", { class: "muted" }, "实付 " + yuan(order.total_fen)));
      list.append(item);
    });
  }

  function renderTickets(tickets) {
    const list = $("tickets");
    list.textContent = "";
    if (!tickets.length) list.append(el("li", { class: "muted" }, "没有工单"));
    tickets.forEach((ticket) => {
      const item = el("li");
      const top = el("div", { class: "row" });
      top.append(el("span", {}, "#" + ticket.id), el("span", { class: "tag" }, label(TICKET_KIND, ticket.kind)),
        el("span", { class: "tag" }, label(TICKET_STATUS, ticket.status)));
      if (ticket.priority) top.append(badge(ticket.priority));
      item.append(top);
      const facts = [];
      if (ticket.order_id) facts.push("订单 " + ticket.order_id);
      if (ticket.item && ticket.item.title) facts.push(ticket.item.title);
      if (ticket.refund_fen) facts.push("退款 " + yuan(ticket.refund_fen));
      if (ticket.category) facts.push(label(CATEGORIES, ticket.category));
      if (facts.length) item.append(el("div", { class: "muted" }, facts.join(" · ")));
      if (ticket.reason) item.append(el("div", { class: "text" }, ticket.reason));
      if (ticket.rejection_reason) item.append(el("div", { class: "muted" }, "拒绝原因：" + ticket.rejection_reason));
      const actions = ticketActions(ticket);
      if (actions.length) {
        const bar = el("div", { class: "ticket-actions" });
        actions.forEach(([action, text]) => {
          const button = el("button", { type: "button", "data-action": action }, text);
          button.addEventListener("click", () => ticketAction(ticket, action, bar));
          bar.append(button);
        });
        item.append(bar);
      }
      list.append(item);
    });
  }

  // What an agent may do next with a ticket (the server checks again: an illegal move is 409).
  function ticketActions(ticket) {
    if (ticket.kind === "complaint") return [];
    const goods = ticket.kind !== "refund_only";
    switch (ticket.status) {
      case "requested": return [["approve", "同意"], ["reject", "拒绝"]];
      case "approved": return ticket.kind === "refund_only" ? [["refund", "退款"]] : [];
      case "returned": return [["confirm-receipt", "确认收货"]];
      case "received":
        return ticket.kind === "return_refund" ? [["refund", "退款"]] : goods ? [["complete", "完成"]] : [];
      default: return [];
    }
  }

  async function ticketAction(ticket, action, bar) {
    let body = null;
    if (action === "reject") {
      const existing = bar.querySelector("form");
      if (existing) { existing.querySelector("input").focus(); return; }
      const form = el("form", { class: "inline-form reject-form" });
      const reason = el("input", { maxlength: "500", required: "", placeholder: "拒绝原因（买家会看到）", "aria-label": "拒绝原因" });
      form.append(reason, el("button", { type: "submit" }, "确认拒绝"));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = reason.value.trim();
        if (text) sendTicketAction(ticket, "reject", { reason: text }, bar);
      });
      bar.append(form);
      reason.focus();
      return;
    }
    await sendTicketAction(ticket, action, body, bar);
  }

  async function sendTicketAction(ticket, action, body, bar) {
    bar.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    showError("");
    try {
      await api("/api/v1/tickets/" + encodeURIComponent(ticket.id) + "/" + action, {
        method: "POST", body: JSON.stringify(body || {}),
      });
    } catch (error) {
      if (error.status !== 401) showError("工单 #" + ticket.id + " 操作失败：" + error.message);
    }
    await refreshConversation();
  }

  function showError(text) { $("conv-error").textContent = text; }

  $("claim-btn").addEventListener("click", async () => {
    const id = state.openId;
    if (!id) return;
    $("claim-btn").disabled = true;
    showError("");
    try {
      const claimed = await api("/api/v1/agent/conversations/" + encodeURIComponent(id) + "/claim", { method: "POST" });
      const conv = (claimed && claimed.conversation) || claimed || {};
      rememberName(agentName(conv.agent), conv.agent_display_name);
      state.mineIds.add(id);
    } catch (error) {
      if (error.status === 409) showError(error.message || "已被其他客服接入");
      else if (error.status !== 401) showError("接入失败：" + error.message);
    }
    await refreshEverything();
    if (id === state.openId && !$("reply-text").disabled) $("reply-text").focus();
  });

  $("resolve-btn").addEventListener("click", async () => {
    const id = state.openId;
    if (!id) return;
    $("resolve-btn").disabled = true;
    showError("");
    try {
      await api("/api/v1/agent/conversations/" + encodeURIComponent(id) + "/resolve", { method: "POST" });
    } catch (error) {
      if (error.status === 403) showError("这个会话不在您名下，不能结束：" + error.message);
      else if (error.status !== 401) showError("结束会话失败：" + error.message);
    }
    await refreshEverything();
  });

  $("transfer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = state.openId;
    const to = $("transfer-to").value.trim();
    if (!id || !to) return;
    $("transfer-btn").disabled = true;
    showError("");
    try {
      await api("/api/v1/agent/conversations/" + encodeURIComponent(id) + "/transfer", {
        method: "POST", body: JSON.stringify({ agent: to }),
      });
      $("transfer-to").value = "";
      state.mineIds.delete(id);
    } catch (error) {
      if (error.status === 404) showError("没有这位客服：" + to);
      else if (error.status === 403) showError("这个会话不在您名下，不能转接");
      else if (error.status !== 401) showError("转接失败：" + error.message);
    }
    await refreshEverything();
  });

  $("note-check").addEventListener("change", () => {
    const note = $("note-check").checked;
    $("reply-form").classList.toggle("note", note);
    $("reply-send").textContent = note ? "添加备注" : "发送";
  });

  // While the agent writes to the buyer (not a note), the buyer's widget shows typing dots: the
  // signal is sent at most every few seconds and the widget lets the dots lapse by itself.
  let lastTyping = { id: null, at: 0 };
  $("reply-text").addEventListener("input", () => {
    const id = state.openId;
    if (!id || $("note-check").checked || !$("reply-text").value.trim()) return;
    const now = Date.now();
    if (lastTyping.id === id && now - lastTyping.at < TYPING_EVERY_MS) return;
    lastTyping = { id: id, at: now };
    api("/api/v1/agent/conversations/" + encodeURIComponent(id) + "/typing", { method: "POST" }).catch(() => {});
  });

  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });

  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = state.openId;
    const text = $("reply-text").value.trim();
    if (!id || !text) return;
    // The note box stays ticked after a note: an untick by surprise would show the next note to the buyer.
    const kind = $("note-check").checked ? "notes" : "reply";
    $("reply-send").disabled = true;
    showError("");
    try {
      await api("/api/v1/agent/conversations/" + encodeURIComponent(id) + "/" + kind, {
        method: "POST", body: JSON.stringify({ text: text }),
      });
      if ($("reply-text").value.trim() === text) $("reply-text").value = "";
    } catch (error) {
      if (error.status === 403) showError("这个会话不在您名下，不能回复：" + error.message);
      else if (error.status === 422) showError("内容不能为空，最多 2000 字");
      else if (error.status !== 401) showError("发送失败，内容还在输入框里：" + (error.status ? error.message : "网络错误"));
    }
    await refreshConversation();
  });

  async function refreshEverything() {
    await Promise.all([
      loadQueue().catch(() => {}),
      loadMine().catch(() => {}),
      state.tab === "resolved" ? loadResolved().catch(() => {}) : null,
      refreshConversation(),
    ]);
  }

  // ---- live updates: the event stream, polling when it fails ---------------------------------

  function startStream() {
    stopStream();
    if (!window.EventSource || !state.token) { startPolling(); return; }
    const source = new EventSource("/api/v1/agent/events?token=" + encodeURIComponent(state.token));
    state.stream = source;
    source.onopen = () => {
      if (state.pollTimer) { stopPolling(); refreshEverything(); } // catch up on what was missed
      setLive(true);
    };
    source.onmessage = (event) => handleEvent(event.data, "message");
    ["queue", "message", "status"].forEach((type) => {
      source.addEventListener(type, (event) => handleEvent(event.data, type));
    });
    source.onerror = () => {
      startPolling();
      if (source.readyState === EventSource.CLOSED && state.stream === source) {
        state.stream = null;
        state.streamRetry = setTimeout(() => { if (state.token) startStream(); }, STREAM_RETRY_MS);
      }
    };
  }

  function stopStream() {
    if (state.stream) state.stream.close();
    state.stream = null;
    clearTimeout(state.streamRetry);
  }

  function startPolling() {
    setLive(false);
    if (state.pollTimer || !state.token) return;
    state.pollTimer = setInterval(() => { if (state.token) refreshEverything(); }, POLL_MS);
  }

  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  function setLive(live) {
    const badgeNode = $("live-state");
    badgeNode.hidden = !state.token;
    badgeNode.classList.toggle("polling", !live);
    badgeNode.textContent = live ? "实时" : "轮询中（每 5 秒）";
  }

  function handleEvent(raw, fallbackType) {
    let event;
    try { event = JSON.parse(raw); } catch (error) { return; }
    if (!event || typeof event !== "object") return;
    const type = event.type || fallbackType;
    clearTimeout(state.listsTimer);
    state.listsTimer = setTimeout(() => {
      loadQueue().catch(() => {});
      if (type !== "message") loadMine().catch(() => {});
    }, 250);
    const id = event.conversation_id || (event.message && event.message.conversation_id) ||
      (event.conversation && event.conversation.id);
    if (state.openId && (!id || id === state.openId)) {
      // The detail endpoint is the one source of truth (it knows which messages are notes).
      clearTimeout(state.detailTimer);
      state.detailTimer = setTimeout(refreshConversation, 150);
    }
  }

  // ---- the dashboard (Chart.js, served by the API from node_modules) -------------------------

  $("view-work").addEventListener("click", () => showView("work"));
  $("view-dash").addEventListener("click", () => showView("dash"));
  $("dash-days").addEventListener("change", () => loadDashboard());

  function showView(view) {
    state.view = view;
    $("view-work").classList.toggle("active", view === "work");
    $("view-dash").classList.toggle("active", view === "dash");
    $("app").hidden = view !== "work";
    $("dashboard").hidden = view !== "dash";
    if (view === "dash") loadDashboard();
  }

  const PALETTE = ["#1677ff", "#52c41a", "#fa8c16", "#f5222d", "#722ed1", "#13c2c2", "#eb2f96", "#8c8c8c", "#a0d911", "#faad14", "#2f54eb"];
  const PRIORITY_COLORS = { P1: "#f5222d", P2: "#fa8c16", P3: "#1677ff", P4: "#8c8c8c" };

  async function loadDashboard() {
    $("dash-error").textContent = "";
    if (!window.Chart) { $("dash-error").textContent = "图表库没有加载（npm ci 安装 chart.js 后重启服务）"; return; }
    let data;
    try {
      data = await api("/api/v1/agent/dashboard?days=" + encodeURIComponent($("dash-days").value));
    } catch (error) {
      if (error.status !== 401) $("dash-error").textContent = "看板数据加载失败：" + error.message;
      return;
    }
    const rate = data.containment_rate === null ? "—" : (data.containment_rate * 100).toFixed(1) + "%";
    const sla = data.first_response_sla;
    $("dash-summary").textContent = "会话 " + data.conversations + " · 机器人独立解决 " + data.contained + "（" + rate + "）· 首响达标 " +
      sla.met + " / 超时 " + sla.missed + " / 进行中 " + sla.open;
    const days = data.per_day.map((row) => row.day.slice(5));
    draw("chart-daily", "bar", days, [
      { label: "会话量", data: data.per_day.map((row) => row.conversations), backgroundColor: "#1677ff" },
      { label: "机器人独立解决", data: data.per_day.map((row) => row.contained), backgroundColor: "#52c41a" },
    ]);
    draw("chart-containment", "line", days, [{
      label: "独立解决率 %", borderColor: "#52c41a", backgroundColor: "#52c41a", spanGaps: true,
      data: data.per_day.map((row) => (row.conversations ? Math.round((row.contained / row.conversations) * 1000) / 10 : null)),
    }], { scales: { y: { min: 0, max: 100 } } });
    const reasons = Object.keys(data.handoff_reasons);
    draw("chart-handoff", "doughnut", reasons.map((key) => label(REASONS, key)), [{
      data: reasons.map((key) => data.handoff_reasons[key]), backgroundColor: reasons.map((_, i) => PALETTE[i % PALETTE.length]),
    }]);
    const categories = Object.keys(data.complaints_by_category);
    draw("chart-complaints", "bar", categories.map((key) => label(CATEGORIES, key)), ["P1", "P2", "P3", "P4"].map((p) => ({
      label: p, backgroundColor: PRIORITY_COLORS[p], data: categories.map((key) => data.complaints_by_category[key][p] || 0),
    })), { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } });
    draw("chart-sla", "doughnut", ["达标", "超时", "进行中"], [{
      data: [sla.met, sla.missed, sla.open], backgroundColor: ["#52c41a", "#f5222d", "#d9d9d9"],
    }]);
  }

  function draw(id, type, labels, datasets, options) {
    if (state.charts[id]) state.charts[id].destroy();
    state.charts[id] = new window.Chart($(id), {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } }, options || {}),
    });
  }

  // ---- the title: queue size, flashing when a new conversation starts waiting ----------------

  function setTitle() {
    const base = (state.queue.length ? "(" + state.queue.length + ") " : "") + TITLE;
    document.title = state.flashTimer && state.flashOn ? FLASH + base : base;
    return base;
  }

  // A short two-tone chime (no sound file): browsers allow it after the sign-in click.
  function chime() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      state.audio = state.audio || new Context();
      const now = state.audio.currentTime;
      [880, 1320].forEach((frequency, index) => {
        const tone = state.audio.createOscillator();
        const gain = state.audio.createGain();
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.08, now + index * 0.15);
        gain.gain.exponentialRampToValueAtTime(0.001, now + index * 0.15 + 0.14);
        tone.connect(gain).connect(state.audio.destination);
        tone.start(now + index * 0.15);
        tone.stop(now + index * 0.15 + 0.15);
      });
    } catch (error) { /* no sound: the title still flashes */ }
  }

  function flashTitle() {
    chime();
    if (state.flashTimer) return;
    state.flashOn = true;
    state.flashTimer = setInterval(() => { state.flashOn = !state.flashOn; setTitle(); }, 1000);
    setTitle();
  }

  function stopFlash() {
    if (!state.flashTimer) return;
    clearInterval(state.flashTimer);
    state.flashTimer = null;
    state.flashOn = false;
    setTitle();
  }

  document.addEventListener("click", stopFlash);
  document.addEventListener("keydown", stopFlash);

  // ---- start ---------------------------------------------------------------------------------

  if (state.token) {
    signIn(state.token).catch((error) => {
      if (error.status !== 401) showSignIn("无法连接服务器，请稍后刷新页面");
    });
  } else {
    showSignIn("");
  }
})();
