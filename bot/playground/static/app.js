// Liaison Playground: a Slack-like page over the playground's JSON API. Vanilla JS, no build step.
"use strict";

const I18N = {
  en: {},
  zh: {
    banner_title: "Liaison 演练场——本地模拟。",
    banner_text: "不涉及任何 Slack 工作区：真实的 Liaison 应用在本机运行，连接一个模拟的 Slack。这里的一切都不会离开 127.0.0.1。",
    workspace_note: "模拟工作区",
    home: "Liaison · 主页",
    channels: "频道",
    direct_messages: "私信",
    you_are: "当前身份",
    clock: "模拟时钟",
    next_event: "⏭ 下一个定时事件",
    plus_day: "+1 天",
    reset: "↺ 重置演示项目",
    send: "发送",
    composer_hint: "与 Slack 一样只接受斜杠命令：回车发送，Shift+回车换行（用于 /minutes）。@alice、@bob、@carol 和 #acme-internal 会成为提及。",
    only_you: "仅你可见",
    team: "团队成员（Home Co）",
    client: "客户（ACME，另一个组织）",
    shared: "共享",
    internal_channel: "团队内部频道",
    shared_channel: "与客户共享的频道（Slack Connect）",
    dm_sub: "与 Liaison 的私信（签到提醒在这里）",
    home_sub: "Liaison 的主页标签（views.publish）",
    working: "Liaison 正在处理…",
    next_none: "没有已安排的事件",
    next_label: "下一个：",
    no_messages: "还没有消息。",
    no_home: "正在打开主页…",
    cancel: "取消",
    submit: "提交",
    nothing_scheduled: "没有已安排的事件。",
    fired: "时钟已前进：",
    reset_confirm: "重置演示项目？所有数据将被清除并重新生成。",
    edited: "（已编辑）",
    unread_dm: "Liaison 发来的未读私信",
    client_no_commands: "在 Slack Connect 中，客户使用 Liaison 的按钮：共享频道里的面板和消息上的按钮。",
    one_reply: "消息串中有 1 条回复",
    optional: "（选填）",
    replies: "消息串中有 {n} 条回复",
  },
};
const EN = {
  only_you: "Only visible to you",
  team: "Team member (Home Co)",
  client: "Client user (ACME, another organisation)",
  shared: "shared",
  internal_channel: "The team's internal channel",
  shared_channel: "Shared with the client (Slack Connect)",
  dm_sub: "Your DM with Liaison (check-in prompts arrive here)",
  home_sub: "Liaison's App Home tab (views.publish)",
  working: "Liaison is working…",
  next_none: "Nothing scheduled",
  next_label: "Next: ",
  no_messages: "No messages yet.",
  no_home: "Opening Home…",
  cancel: "Cancel",
  submit: "Submit",
  nothing_scheduled: "Nothing is scheduled.",
  fired: "Clock moved: ",
  reset_confirm: "Reset the demo project? Everything is wiped and seeded again.",
  edited: "(edited)",
  unread_dm: "Unread direct messages from Liaison",
  client_no_commands: "In Slack Connect, clients use Liaison's buttons: the panel in the shared channel and the buttons on its messages.",
  one_reply: "1 reply in the thread",
  optional: " (optional)",
  replies: "{n} replies in the thread",
};
const EMOJI = {
  white_check_mark: "✅", warning: "⚠️", red_circle: "🔴", large_green_circle: "🟢", large_orange_circle: "🟠",
  large_yellow_circle: "🟡", pencil2: "✏️", memo: "📝", wastebasket: "🗑️", outbox_tray: "📤",
  leftwards_arrow_with_hook: "↩️", eyes: "👀", clipboard: "📋", calendar: "📅", bell: "🔔", chart_with_upwards_trend: "📈",
  spiral_calendar_pad: "🗓️", x: "❌", hourglass: "⌛", tada: "🎉", date: "📅", busts_in_silhouette: "👥",
  bar_chart: "📊", rotating_light: "🚨", alarm_clock: "⏰", hourglass_flowing_sand: "⏳", no_entry_sign: "🚫",
  grey_question: "❔", double_vertical_bar: "⏸️", palm_tree: "🌴", lock: "🔒", heavy_minus_sign: "➖",
  speech_balloon: "💬", bulb: "💡", star: "⭐", page_facing_up: "📄", package: "📦", mag: "🔍",
};
const COLORS = ["#e8912d", "#2bac76", "#1d9bd1", "#e01e5a", "#9b59b6"];

const ui = {
  lang: "en",
  viewer: localStorage.getItem("liaison-playground-viewer") || "U0ALICE",
  surface: localStorage.getItem("liaison-playground-surface") || "C0INTERNAL",
  state: null,
  rendered: { messages: "", home: "", modal: "", channels: "" },
  busy: 0,
  fetching: 0, // state requests on their way
  pinned: true, // the chat view is at the bottom: keep it there while images load
  closed: new Set(), // forms closed here: never shown again, even by a poll that was already on its way
};

function t(key) {
  return (I18N[ui.lang] && I18N[ui.lang][key]) || EN[key] || key;
}

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "html") node.innerHTML = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---------------------------------------------------------------- text: mrkdwn and plain_text

function personName(id) {
  const p = (ui.state?.people || []).find((x) => x.id === id);
  return p ? p.name : id;
}
function channelName(id) {
  const c = (ui.state?.channels || []).find((x) => x.id === id);
  return c ? c.name : { C0INTERNAL: "acme-internal", C0SHARED: "acme-shared" }[id] || id;
}
function emoji(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
}
function unescapeSlack(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// <!date^epoch^{tokens}[^link]|fallback>, as Slack shows it: in the reader's own zone and language.
function viewerZone() {
  const me = (ui.state?.people || []).find((p) => p.id === ui.viewer);
  return me?.tz || ui.state?.clock?.tz || "UTC";
}
function slackDate(target, fallback) {
  const [, epoch, format] = target.split("^");
  const when = new Date(Number(epoch) * 1000);
  if (!format || Number.isNaN(when.getTime())) return fallback || target;
  const zh = ui.lang === "zh";
  const locale = zh ? "zh-CN" : "en-US";
  const timeZone = viewerZone();
  const fmt = (options) => new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(when);
  const dayKey = (d) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  const now = ui.state?.clock?.now ? new Date(ui.state.clock.now) : new Date();
  const relative = () => {
    const days = Math.round((Date.parse(dayKey(when)) - Date.parse(dayKey(now))) / 86400000);
    const words = zh ? { "-1": "昨天", 0: "今天", 1: "明天" } : { "-1": "yesterday", 0: "today", 1: "tomorrow" };
    return words[days];
  };
  const tokens = {
    date_num: () => dayKey(when),
    date: () => fmt({ year: "numeric", month: "long", day: "numeric" }),
    date_short: () => fmt({ year: "numeric", month: "short", day: "numeric" }),
    date_long: () => fmt({ weekday: "long", year: "numeric", month: "long", day: "numeric" }),
    date_pretty: () => relative() || tokens.date(),
    date_short_pretty: () => relative() || tokens.date_short(),
    date_long_pretty: () => relative() || tokens.date_long(),
    time: () => fmt({ hour: "numeric", minute: "2-digit", hour12: !zh }),
    time_secs: () => fmt({ hour: "numeric", minute: "2-digit", second: "2-digit", hour12: !zh }),
  };
  return format.replace(/\{([a-z_]+)\}/g, (m, name) => (tokens[name] ? tokens[name]() : m));
}

function mrkdwn(text) {
  const tokens = [];
  const keep = (html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let s = String(text ?? "");
  // Links, mentions and specials first: <…> is Slack's markup, everything else is text.
  s = s.replace(/<([^<>\n]+)>/g, (m, inner) => {
    const [target, label] = inner.split("|", 2);
    if (target.startsWith("@")) return keep(`<span class="mention">@${esc(label || personName(target.slice(1)))}</span>`);
    if (target.startsWith("#")) return keep(`<span class="mention">#${esc(label || channelName(target.slice(1)))}</span>`);
    if (target.startsWith("!subteam^")) return keep(`<span class="mention">${esc(label || "@group")}</span>`);
    if (target.startsWith("!date^")) return keep(esc(slackDate(target, label)));
    if (target.startsWith("!")) return keep(`<span class="mention">@${esc(target.slice(1))}</span>`);
    if (/^(https?:|mailto:)/.test(target)) {
      return keep(`<a href="${esc(target)}" target="_blank" rel="noopener">${esc(unescapeSlack(label || target))}</a>`);
    }
    return m;
  });
  s = unescapeSlack(s);
  s = s.replace(/```([\s\S]*?)```/g, (m, code) => keep(`<pre>${esc(code.replace(/^\n/, ""))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (m, code) => keep(`<code>${esc(code)}</code>`));
  s = esc(s);
  // Slack reads a marker only at a word boundary: a space, ASCII punctuation, or the zero-width space
  // bot.mrkdwn.bold fences its markers with (so bold works next to Chinese text).
  s = s.replace(/(^|[\s(>\u200b])\*([^*\n]+)\*(?=$|[\s).,:;!?<\u200b])/g, "$1<b>$2</b>");
  s = s.replace(/(^|[\s(>\u200b])_([^_\n]+)_(?=$|[\s).,:;!?<\u200b])/g, "$1<i>$2</i>");
  s = s.replace(/(^|[\s(>\u200b])~([^~\n]+)~(?=$|[\s).,:;!?<\u200b])/g, "$1<s>$2</s>");
  s = s
    .split("\n")
    .map((line) => (line.startsWith("&gt; ") ? `<blockquote>${line.slice(5)}</blockquote>` : line))
    .join("\n");
  s = emoji(s).replace(/\n/g, "<br>");
  return s.replace(/\u0000(\d+)\u0000/g, (m, i) => tokens[Number(i)]);
}

function textHtml(obj) {
  if (!obj) return "";
  if (typeof obj === "string") return mrkdwn(obj);
  if (obj.type === "mrkdwn") return mrkdwn(obj.text);
  return emoji(esc(obj.text)).replace(/\n/g, "<br>");
}
function plain(obj) {
  return obj ? emoji(String(obj.text ?? obj)) : "";
}

// ---------------------------------------------------------------- Block Kit

// ctx: { item } for a message, { viewId, modal } for a view; used to send block_actions.
function renderBlocks(blocks, ctx) {
  const box = el("div", { class: "blocks" });
  for (const block of blocks || []) box.append(renderBlock(block, ctx));
  return box;
}

function renderBlock(b, ctx) {
  switch (b.type) {
    case "header":
      return el("div", { class: "b-header" }, plain(b.text));
    case "divider":
      return el("hr", { class: "b-divider" });
    case "section": {
      const main = el("div", { class: "main" });
      if (b.text) main.append(el("div", { class: "text", html: textHtml(b.text) }));
      if (b.fields) main.append(el("div", { class: "fields" }, b.fields.map((f) => el("div", { class: "text", html: textHtml(f) }))));
      const node = el("div", { class: "b-section" }, main);
      if (b.accessory) node.append(renderElement(b.accessory, b, ctx));
      return node;
    }
    case "context":
      return el(
        "div",
        { class: "b-context" },
        (b.elements || []).map((e) => (e.type === "image" ? el("img", { src: e.image_url, alt: e.alt_text, title: e.alt_text }) : el("span", { html: textHtml(e) }))),
      );
    case "actions":
      return el("div", { class: "b-actions" }, (b.elements || []).map((e) => renderElement(e, b, ctx)));
    case "image":
      return el(
        "div",
        { class: "b-image" },
        b.title ? el("div", { class: "title" }, plain(b.title)) : null,
        el("img", { src: b.image_url, alt: b.alt_text }),
      );
    case "input":
      return renderInput(b, ctx);
    case "markdown":
      return el("div", { class: "text", html: mrkdwn(b.text) });
    case "rich_text":
      return el("div", { class: "text" }, richText(b));
    default:
      return el("div", { class: "unsupported" }, `[${b.type} block]`);
  }
}

function richText(node) {
  if (!node) return "";
  if (typeof node.text === "string") return node.text;
  if (node.type === "user") return "@" + personName(node.user_id);
  if (node.type === "channel") return "#" + channelName(node.channel_id);
  if (node.type === "link") return node.text || node.url;
  if (node.type === "emoji") return EMOJI[node.name] || `:${node.name}:`;
  return (node.elements || []).map(richText).join(node.type === "rich_text_list" ? "\n• " : "");
}

function optionLabel(o) {
  return plain(o.text);
}

function renderElement(e, block, ctx) {
  const send = (action) => clickAction(ctx, { ...action, action_id: e.action_id, block_id: block.block_id || "" });
  switch (e.type) {
    case "button": {
      const button = el(
        "button",
        { class: `sk-button ${e.style || ""}`, "data-action-id": e.action_id || "", type: "button" },
        plain(e.text),
      );
      button.addEventListener("click", () => {
        if (e.confirm && !window.confirm(`${plain(e.confirm.title)}\n\n${unescapeSlack(e.confirm.text.text)}`)) return;
        if (e.url) window.open(e.url, "_blank", "noopener");
        send({ type: "button", value: e.value, text: e.text });
      });
      return button;
    }
    case "image":
      return el("img", { src: e.image_url, alt: e.alt_text, style: "width:64px;height:64px;border-radius:4px" });
    case "static_select":
    case "overflow": {
      const options = e.options || (e.option_groups || []).flatMap((g) => g.options);
      const select = el(
        "select",
        { class: "sk-select", "data-action-id": e.action_id || "" },
        el("option", { value: "" }, e.type === "overflow" ? "⋯" : plain(e.placeholder) || "…"),
        options.map((o) => el("option", { value: o.value }, optionLabel(o))),
      );
      select.addEventListener("change", () => {
        const option = options.find((o) => o.value === select.value);
        if (option) send({ type: e.type, selected_option: option });
      });
      return select;
    }
    case "users_select": {
      const select = el(
        "select",
        { class: "sk-select" },
        el("option", { value: "" }, plain(e.placeholder) || "…"),
        (ui.state?.people || []).map((p) => el("option", { value: p.id }, p.real_name)),
      );
      select.addEventListener("change", () => select.value && send({ type: e.type, selected_user: select.value }));
      return select;
    }
    case "datepicker": {
      const input = el("input", { type: "date", value: e.initial_date || "" });
      input.addEventListener("change", () => send({ type: e.type, selected_date: input.value }));
      return input;
    }
    default:
      return el("span", { class: "unsupported" }, `[${e.type}]`);
  }
}

// Inputs in modals: each element keeps a reader that returns Slack's state value for it.
function renderInput(b, ctx) {
  const e = b.element || {};
  const id = `in-${b.block_id}-${e.action_id}`;
  const error = ctx.errors ? ctx.errors[b.block_id] : null;
  let control;
  let read;
  const people = ui.state?.people || [];
  const channels = ui.state?.channels || [];
  switch (e.type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      if (e.multiline) control = el("textarea", { id, rows: 4 });
      else control = el("input", { id, type: e.type === "number_input" ? "number" : "text" });
      control.value = e.initial_value ?? "";
      if (e.placeholder) control.placeholder = plain(e.placeholder);
      read = () => ({ type: e.type, value: control.value === "" ? null : control.value });
      break;
    }
    case "static_select":
    case "radio_buttons": {
      const options = e.options || (e.option_groups || []).flatMap((g) => g.options);
      control = el(
        "select",
        { id },
        el("option", { value: "" }, plain(e.placeholder) || "—"),
        options.map((o) => el("option", { value: o.value }, optionLabel(o))),
      );
      if (e.initial_option) control.value = e.initial_option.value;
      read = () => {
        const option = options.find((o) => o.value === control.value) || null;
        return { type: e.type, selected_option: option };
      };
      break;
    }
    case "multi_static_select":
    case "checkboxes": {
      const options = e.options || (e.option_groups || []).flatMap((g) => g.options);
      const initial = new Set((e.initial_options || []).map((o) => o.value));
      const boxes = options.map((o) => {
        const box = el("input", { type: "checkbox", value: o.value });
        box.checked = initial.has(o.value);
        return { box, label: el("label", { class: "choice" }, box, " ", el("span", { html: textHtml(o.text) })), option: o };
      });
      control = el("div", { id }, boxes.map((x) => x.label));
      read = () => ({ type: e.type, selected_options: boxes.filter((x) => x.box.checked).map((x) => x.option) });
      break;
    }
    case "users_select":
    case "multi_users_select": {
      const multi = e.type.startsWith("multi");
      control = el(
        "select",
        { id, multiple: multi },
        multi ? null : el("option", { value: "" }, plain(e.placeholder) || "—"),
        people.map((p) => el("option", { value: p.id }, `${p.real_name} (@${p.name})`)),
      );
      const initial = multi ? e.initial_users || [] : [e.initial_user].filter(Boolean);
      for (const option of control.options) option.selected = initial.includes(option.value);
      read = () =>
        multi
          ? { type: e.type, selected_users: [...control.selectedOptions].map((o) => o.value) }
          : { type: e.type, selected_user: control.value || null };
      break;
    }
    case "conversations_select":
    case "channels_select": {
      control = el(
        "select",
        { id },
        el("option", { value: "" }, "—"),
        channels.map((c) => el("option", { value: c.id }, "#" + c.name)),
      );
      const key = e.type === "channels_select" ? "selected_channel" : "selected_conversation";
      control.value = e.initial_conversation || e.initial_channel || "";
      read = () => ({ type: e.type, [key]: control.value || null });
      break;
    }
    case "datepicker":
      control = el("input", { id, type: "date" });
      control.value = e.initial_date || "";
      read = () => ({ type: e.type, selected_date: control.value || null });
      break;
    case "timepicker":
      control = el("input", { id, type: "time" });
      control.value = e.initial_time || "";
      read = () => ({ type: e.type, selected_time: control.value || null });
      break;
    default:
      control = el("div", { class: "unsupported" }, `[${e.type}]`);
      read = () => ({ type: e.type });
  }
  if (ctx.readers) ctx.readers.push({ block_id: b.block_id, action_id: e.action_id, read });
  return el(
    "div",
    { class: `b-input ${error ? "has-error" : ""}`, "data-block-id": b.block_id },
    el("label", { class: "input-label", for: id }, plain(b.label), b.optional ? el("span", { class: "optional" }, t("optional")) : null),
    control,
    b.hint ? el("div", { class: "hint-text" }, plain(b.hint)) : null,
    error ? el("div", { class: "error-text" }, error) : null,
  );
}

function collectValues(readers) {
  const values = {};
  for (const r of readers || []) {
    values[r.block_id] = values[r.block_id] || {};
    values[r.block_id][r.action_id] = r.read();
  }
  return values;
}

// ---------------------------------------------------------------- the API

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

async function act(work) {
  ui.busy += 1;
  setStatus(t("working"));
  try {
    const result = await work();
    setStatus("");
    return result;
  } catch (err) {
    setStatus(String(err.message || err), true);
    return null;
  } finally {
    ui.busy -= 1;
    await refresh();
  }
}

function setStatus(text, error = false) {
  const node = document.getElementById("status");
  node.textContent = text;
  node.classList.toggle("error", error);
}

// After a click or a form, what the app posted (an acknowledgement, a private answer) is shown: the channel
// follows to its newest message when the action added one, as Slack does for your own actions.
function followNewMessages() {
  ui.expectNew = (ui.state && currentMessages(ui.state)?.length) ?? null;
}

function clickAction(ctx, action) {
  followNewMessages();
  const body = { user: ui.viewer, action };
  if (ctx.viewId) {
    body.item = "view:" + ctx.viewId;
    body.values = collectValues(ctx.readers);
  } else {
    body.item = ctx.item;
  }
  return act(() => api("/api/click", body));
}

// ---------------------------------------------------------------- rendering the page

function avatar(item) {
  if (item.bot) return el("div", { class: "avatar bot" }, "L");
  const index = [...item.author].reduce((a, c) => a + c.charCodeAt(0), 0) % COLORS.length;
  return el("div", { class: "avatar", style: `background:${COLORS[index]}` }, item.author.slice(0, 1));
}

function renderMessage(item, reply = false) {
  const head = el(
    "div",
    { class: "msg-head" },
    el("span", { class: "msg-author" }, item.author),
    item.bot ? el("span", { class: "app-badge" }, "APP") : null,
    el("span", { class: "msg-time" }, item.time),
    item.ephemeral ? el("span", { class: "eph-note" }, "👁 " + t("only_you")) : null,
  );
  const body = el("div", { class: "msg-body" }, head);
  if (item.command) {
    body.append(el("div", { class: "command-text" }, item.text));
  } else {
    if (item.text && !(item.blocks && item.blocks.length)) body.append(el("div", { class: "text", html: mrkdwn(item.text) }));
    if (item.blocks && item.blocks.length) body.append(renderBlocks(item.blocks, { item: item.id }));
    for (const f of item.files || []) {
      const shown = f.image === false
        ? el("a", { class: "file-link", href: f.url, download: f.name || f.title, "data-testid": "file-link" }, "⬇ " + (f.name || f.title))
        : el("img", { src: f.url, alt: f.title });
      body.append(el("div", { class: "file" }, el("div", { class: "file-title" }, "📎 " + f.title), shown));
    }
    if (item.edited) body.append(el("span", { class: "edited" }, t("edited")));
  }
  return el(
    "div",
    { class: `msg ${item.ephemeral ? "ephemeral" : ""} ${reply ? "reply" : ""}`, "data-id": item.id, "data-testid": item.ephemeral ? "ephemeral-message" : "message" },
    avatar(item),
    body,
  );
}

// Replies in a thread (thread_ts naming another message) show under the message they answer, as Slack's
// thread view would, instead of as new messages at the bottom of the channel.
function renderThreads(messages) {
  const parents = new Set(messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts).map((m) => m.ts));
  const replies = new Map();
  for (const m of messages) {
    if (m.thread_ts && m.thread_ts !== m.ts && parents.has(m.thread_ts)) {
      if (!replies.has(m.thread_ts)) replies.set(m.thread_ts, []);
      replies.get(m.thread_ts).push(m);
    }
  }
  const nodes = [];
  for (const m of messages) {
    if (m.thread_ts && m.thread_ts !== m.ts && parents.has(m.thread_ts)) continue;
    nodes.push(renderMessage(m));
    const answers = replies.get(m.ts);
    if (answers) {
      const count = answers.length === 1 ? t("one_reply") : t("replies").replace("{n}", answers.length);
      nodes.push(
        el("div", { class: "thread", "data-testid": "thread" }, el("div", { class: "thread-count" }, "💬 " + count), answers.map((a) => renderMessage(a, true))),
      );
    }
  }
  return nodes;
}

function currentMessages(state) {
  if (ui.surface === "dm") return state.dm.messages;
  const channel = state.channels.find((c) => c.id === ui.surface);
  return channel ? channel.messages : null;
}

function render(state) {
  ui.state = state;
  if (ui.lang !== state.lang) {
    ui.lang = state.lang;
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const text = I18N[ui.lang]?.[node.dataset.i18n];
      if (text) node.textContent = text;
    }
  }
  // Someone who is not in the channel cannot look at it (the client user never sees the internal channel).
  if (ui.surface !== "dm" && ui.surface !== "home" && !state.channels.some((c) => c.id === ui.surface)) {
    ui.surface = state.channels[0]?.id || "dm";
  }
  renderSidebar(state);
  renderComposer(state.viewer);
  const title = document.getElementById("surface-title");
  const sub = document.getElementById("surface-sub");
  const messagesBox = document.getElementById("messages");
  const homeBox = document.getElementById("home");
  const onHome = ui.surface === "home";
  messagesBox.hidden = onHome;
  homeBox.hidden = !onHome;
  document.getElementById("composer-bar").hidden = onHome;
  if (onHome) {
    title.textContent = "Liaison · Home";
    sub.textContent = t("home_sub");
    const key = JSON.stringify([ui.viewer, state.home]);
    if (key !== ui.rendered.home) {
      ui.rendered.home = key;
      homeBox.replaceChildren(state.home ? renderBlocks(state.home.blocks, { viewId: state.home.id, readers: [] }) : el("div", { class: "empty" }, t("no_home")));
    }
  } else {
    if (ui.surface === "dm") {
      title.textContent = "Liaison";
      sub.textContent = t("dm_sub");
    } else {
      const channel = state.channels.find((c) => c.id === ui.surface);
      title.textContent = "# " + channel.name;
      sub.textContent = channel.shared ? t("shared_channel") : t("internal_channel");
    }
    const messages = currentMessages(state) || [];
    if (ui.expectNew !== null && ui.expectNew !== undefined && !ui.busy) {
      if (messages.length > ui.expectNew) ui.scrollNext = true;
      ui.expectNew = null;
    }
    const key = JSON.stringify([ui.viewer, ui.surface, messages]);
    if (key !== ui.rendered.messages) {
      ui.pinned = ui.pinned || nearBottom(messagesBox) || Boolean(ui.scrollNext);
      ui.rendered.messages = key;
      messagesBox.replaceChildren(...(messages.length ? renderThreads(messages) : [el("div", { class: "empty" }, t("no_messages"))]));
      // Charts arrive as images that load after the message is drawn: stay at the bottom when they do.
      // A resize observer also catches an image that lays out after its load event (slow machines).
      for (const img of messagesBox.querySelectorAll("img")) {
        if (!img.complete) img.addEventListener("load", stickToBottom, { once: true });
        imageSizes.observe(img);
      }
      stickToBottom();
      ui.scrollNext = false;
    }
    if (ui.surface === "dm") markDmSeen(state);
  }
  renderClock(state.clock);
  if (!state.modal) ui.closed.clear(); // the app has them closed too: ids may be used again after a reset
  renderModal(state.modal);
}

function nearBottom(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

const imageSizes = new ResizeObserver(() => stickToBottom());

function stickToBottom() {
  const box = document.getElementById("messages");
  if (ui.pinned && !box.hidden) {
    box.scrollTop = box.scrollHeight;
    ui.autoScrollTop = box.scrollTop;
  }
}

// Unread DMs: the newest DM from Liaison this person has looked at, kept per person in the browser.
function dmSeenKey() {
  return `liaison-playground-dm-seen:${ui.viewer}`;
}
function markDmSeen(state) {
  const last = state.dm.messages[state.dm.messages.length - 1];
  if (last) localStorage.setItem(dmSeenKey(), last.ts);
}
function unreadDms(state) {
  if (ui.surface === "dm") return 0;
  const seen = Number(localStorage.getItem(dmSeenKey()) || 0);
  return state.dm.messages.filter((m) => m.bot && Number(m.ts) > seen).length;
}
function renderUnread(state) {
  const count = unreadDms(state);
  const nav = document.getElementById("nav-dm");
  nav.classList.toggle("unread", count > 0);
  let badge = document.getElementById("dm-unread");
  if (count > 0 && !badge) {
    badge = el("span", { id: "dm-unread", class: "unread-badge", "data-testid": "dm-unread" });
    nav.append(badge);
  }
  if (badge && count > 0) {
    badge.textContent = String(count);
    badge.title = t("unread_dm");
  } else if (badge) badge.remove();
}

function renderSidebar(state) {
  renderUnread(state);
  const key = JSON.stringify([ui.viewer, ui.surface, state.channels.map((c) => [c.id, c.name, c.shared]), state.people]);
  if (key === ui.rendered.channels) return;
  ui.rendered.channels = key;
  const list = document.getElementById("channel-list");
  list.replaceChildren(
    ...state.channels.map((c) =>
      el(
        "button",
        { class: `nav-item ${ui.surface === c.id ? "active" : ""}`, "data-channel": c.id, "data-testid": `channel-${c.name}`, onclick: () => switchSurface(c.id) },
        el("span", { class: "icon" }, "#"),
        c.name,
        c.shared ? el("span", { class: "shared-mark", title: t("shared_channel") }, t("shared")) : null,
      ),
    ),
  );
  document.getElementById("nav-home").classList.toggle("active", ui.surface === "home");
  document.getElementById("nav-dm").classList.toggle("active", ui.surface === "dm");
  const viewer = document.getElementById("viewer");
  viewer.replaceChildren(
    ...state.people.map((p) => el("option", { value: p.id }, `${p.real_name} — ${p.client ? "ACME" : "Home Co"}`)),
  );
  viewer.value = ui.viewer;
  const me = state.people.find((p) => p.id === ui.viewer);
  const org = document.getElementById("viewer-org");
  org.textContent = me && me.client ? t("client") : t("team");
  org.classList.toggle("client", Boolean(me && me.client));
}

// As in Slack Connect, a client user can't run Liaison's slash commands: the box is off, with a note why.
function renderComposer(viewer) {
  const off = viewer.commands === false;
  const composer = document.getElementById("composer");
  composer.disabled = off;
  document.getElementById("send").disabled = off;
  composer.placeholder = off ? "" : "/liaison help";
  const note = document.getElementById("composer-note");
  note.textContent = off ? t("client_no_commands") : "";
  note.hidden = !off;
  document.getElementById("composer-hint").hidden = off;
}

function renderClock(clock) {
  document.getElementById("clock-now").textContent = `${clock.display} (${clock.tz})`;
  document.getElementById("clock-next").textContent = clock.next
    ? `${t("next_label")}${clock.next.display} · ${clock.next.label}`
    : t("next_none");
}

let modalReaders = [];
function renderModal(modal) {
  const backdrop = document.getElementById("modal-backdrop");
  if (modal && ui.closed.has(modal.view.id)) modal = null;
  if (!modal) {
    backdrop.hidden = true;
    ui.rendered.modal = "";
    return;
  }
  const view = modal.view;
  const key = JSON.stringify([view.id, view.hash, view.blocks, modal.errors]);
  backdrop.hidden = false;
  if (key === ui.rendered.modal) return;
  // Keep what was typed when only the errors changed.
  const previous = ui.rendered.modalViewId === view.id ? collectValues(modalReaders) : null;
  ui.rendered.modal = key;
  ui.rendered.modalViewId = view.id;
  modalReaders = [];
  document.getElementById("modal-title").textContent = plain(view.title);
  const errors = modal.errors || {};
  const general = Object.entries(errors).filter(([k]) => !view.blocks.some((b) => b.block_id === k));
  document.getElementById("modal-errors").textContent = general.map(([, v]) => v).join(" ");
  const ctx = { viewId: view.id, readers: modalReaders, errors };
  document.getElementById("modal-body").replaceChildren(renderBlocks(view.blocks, ctx));
  if (previous) restoreValues(previous);
  const submit = document.getElementById("modal-submit");
  submit.hidden = !view.submit;
  submit.textContent = view.submit ? plain(view.submit) : t("submit");
  document.getElementById("modal-close").textContent = view.close ? plain(view.close) : t("cancel");
}

function restoreValues(values) {
  for (const block of document.querySelectorAll("#modal-body .b-input")) {
    const entry = values[block.dataset.blockId];
    if (!entry) continue;
    const state = Object.values(entry)[0] || {};
    const field = block.querySelector("input[type=text],input[type=number],input[type=date],input[type=time],textarea");
    if (field && "value" in state) field.value = state.value ?? "";
    if (field && state.selected_date !== undefined) field.value = state.selected_date || "";
    const select = block.querySelector("select");
    if (select && state.selected_option) select.value = state.selected_option.value;
    if (select && state.selected_user) select.value = state.selected_user;
    if (select && state.selected_users) for (const o of select.options) o.selected = state.selected_users.includes(o.value);
    if (state.selected_options) {
      const chosen = new Set(state.selected_options.map((o) => o.value));
      for (const box of block.querySelectorAll("input[type=checkbox]")) box.checked = chosen.has(box.value);
    }
  }
}

// Answers can arrive out of order (the server serves them one at a time, slowly under load): only the newest
// asked for, and only for the person now chosen, is drawn; an older one would put back what it saw, such as a
// poll for Alice landing after the switch to Carol.
let asked = 0;
let drawn = 0;
async function refresh() {
  const seq = ++asked;
  const viewer = ui.viewer;
  ui.fetching += 1;
  try {
    const state = await api(`/api/state?user=${encodeURIComponent(viewer)}`);
    if (seq < drawn || viewer !== ui.viewer) return;
    drawn = seq;
    render(state);
  } catch (err) {
    setStatus(String(err.message || err), true);
  } finally {
    ui.fetching -= 1;
  }
}

function switchSurface(surface) {
  ui.surface = surface;
  localStorage.setItem("liaison-playground-surface", surface);
  ui.rendered.messages = "";
  ui.rendered.channels = "";
  ui.scrollNext = true;
  if (surface === "home") {
    ui.rendered.home = "";
    act(() => api("/api/home", { user: ui.viewer }));
  } else {
    refresh();
  }
}

function setup() {
  document.getElementById("viewer").addEventListener("change", (event) => {
    ui.viewer = event.target.value;
    localStorage.setItem("liaison-playground-viewer", ui.viewer);
    ui.rendered = { messages: "", home: "", modal: "", channels: "" };
    ui.scrollNext = true; // someone else opens the channel: at its newest messages, as Slack does
    if (ui.surface === "home") switchSurface("home");
    else refresh();
  });
  document.getElementById("nav-home").addEventListener("click", () => switchSurface("home"));
  document.getElementById("nav-dm").addEventListener("click", () => switchSurface("dm"));
  const composer = document.getElementById("composer");
  const form = document.getElementById("composer-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = composer.value.trim();
    if (!text) return;
    composer.value = "";
    ui.scrollNext = true;
    const channel = ui.surface === "dm" ? "D" + ui.viewer.slice(1) : ui.surface;
    act(() => api("/api/command", { user: ui.viewer, channel, text }));
  });
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const move = (how) => async () => {
    ui.scrollNext = true;
    const result = await act(() => api("/api/clock", { move: how }));
    if (result && result.ok === false && result.error === "nothing_scheduled") setStatus(t("nothing_scheduled"));
    else if (result && result.event) setStatus(t("fired") + result.event);
  };
  document.getElementById("ff-next").addEventListener("click", move("next"));
  document.getElementById("ff-hour").addEventListener("click", move("hour"));
  document.getElementById("ff-day").addEventListener("click", move("day"));
  document.getElementById("reset").addEventListener("click", () => {
    if (!window.confirm(t("reset_confirm"))) return;
    ui.rendered = { messages: "", home: "", modal: "", channels: "" };
    act(() => api("/api/reset", {}));
  });
  // Cancel closes this form (back to the one under it, if any); × closes them all. The app hears a
  // view_closed for forms that ask (notify_on_close), as in Slack.
  const closeModal = (clear) => () => {
    const modal = ui.state?.modal;
    if (!modal) return;
    ui.closed.add(modal.view.id);
    renderModal(null);
    act(() => api("/api/close", clear ? { user: ui.viewer, clear: true } : { user: ui.viewer, view_id: modal.view.id }));
  };
  document.getElementById("modal-close").addEventListener("click", closeModal(false));
  document.getElementById("modal-x").addEventListener("click", closeModal(true));
  // Only the reader's own scrolling unpins the view: the scroll event of our own stickToBottom can arrive after
  // an image has grown the page (no longer "near the bottom" by then), and must not unpin it.
  document.getElementById("messages").addEventListener("scroll", (event) => {
    if (ui.pinned && Math.abs(event.target.scrollTop - (ui.autoScrollTop ?? -1)) < 2) return;
    ui.pinned = nearBottom(event.target);
  });
  document.getElementById("modal-submit").addEventListener("click", () => {
    const modal = ui.state?.modal;
    if (!modal) return;
    followNewMessages();
    act(() => api("/api/submit", { user: ui.viewer, view_id: modal.view.id, values: collectValues(modalReaders) }));
  });
  // A reload is a new Slack client: forms left open before it are closed (and the app told), never brought back.
  const start = () => (ui.surface === "home" ? switchSurface("home") : refresh());
  api("/api/close", { everyone: true }).catch(() => null).then(start);
  // One poll at a time: when an answer takes longer than the interval, polls would otherwise queue up behind
  // the server's lock and what the reader just asked for (another person, an action's result) waits behind them.
  setInterval(() => {
    if (!ui.busy && !ui.fetching && !document.hidden) refresh();
  }, 1000);
}

document.addEventListener("DOMContentLoaded", setup);
