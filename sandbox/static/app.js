/* The sandbox chat: sends what you type as real Feishu events (via /sandbox/api/say),
   polls the fake platform's ledger for the bot's messages and patches, renders cards and
   turns card clicks into real card.action.trigger callbacks (/sandbox/api/click). Groups
   the bot creates (incident war rooms) appear as new chats in the sidebar. */
(function () {
  "use strict";
  var state = { chat: "group", seq: 0, texts: {}, info: {}, messages: {}, overrides: {}, unread: { group: 0, p2p: 0 }, rooms: {} };
  var $ = function (id) { return document.getElementById(id); };
  function fill(template, params) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, k) { return params[k] !== undefined ? params[k] : ""; });
  }
  function api(path, body) {
    var options = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    return fetch("/sandbox/api/" + path, options).then(function (r) {
      return r.json().then(function (data) { data._http = r.status; return data; });
    });
  }
  function toast(content, type) {
    var box = $("toast");
    box.textContent = content;
    box.className = "toast toast-" + (type || "info");
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 2600);
  }
  function confirmModal(title, text) {
    return new Promise(function (resolve) {
      $("modal-title").textContent = title;
      $("modal-text").textContent = text;
      $("modal").hidden = false;
      function done(answer) { $("modal").hidden = true; resolve(answer); }
      $("modal-ok").onclick = function () { done(true); };
      $("modal-cancel").onclick = function () { done(false); };
    });
  }
  function textOf(message) {
    var content = message.content || {};
    if (message.type === "text") return String(content.text || "").replace(/@_user_\d+/g, "@" + state.texts.bot_name);
    if (message.type === "post") {
      var post = content.zh_cn || content.en_us || content.post || content;
      return [post.title || ""].concat((post.content || []).map(function (line) {
        return line.map(function (part) { return part.text || ""; }).join("");
      })).join("\n").trim();
    }
    if (message.type === "interactive") {
      return ((content.header || {}).title || {}).content || "[card]";
    }
    return "[" + message.type + "]";
  }

  var actions = {
    texts: state.texts,
    confirm: confirmModal,
    click: function (value, formValue, button) {
      var holder = button.closest(".msg");
      button.disabled = true;
      api("click", { message_id: holder.dataset.id, value: value, form_value: formValue }).then(function (answer) {
        button.disabled = false;
        if (answer.toast) toast(answer.toast.content, answer.toast.type);
        else if (answer.status !== 200) toast(fill(state.texts.delivery_failed, { status: answer.status || answer._http }), "error");
        if (answer.card && answer.card.data) {
          state.overrides[holder.dataset.id] = { version: state.messages[holder.dataset.id].version, card: answer.card.data };
          draw(state.messages[holder.dataset.id]);
        }
      });
    }
  };

  function bubble(message) {
    if (message.type === "interactive") {
      var override = state.overrides[message.id];
      var card = override && override.version === message.version ? override.card : message.content;
      return window.renderCard(card, actions);
    }
    var box = document.createElement("div");
    box.className = "bubble";
    box.textContent = textOf(message);
    return box;
  }

  function draw(message) {
    var timeline = $("timeline-" + message.chat);
    var row = timeline.querySelector('[data-id="' + message.id + '"]');
    var fresh = !row;
    if (fresh) {
      row = document.createElement("div");
      row.dataset.id = message.id;
      timeline.appendChild(row);
    }
    row.className = "msg from-" + message.from;
    row.dataset.from = message.from;
    row.dataset.version = message.version;
    row.innerHTML = "";
    var avatar = document.createElement("span");
    avatar.className = "avatar " + (message.from === "bot" ? "bot-avatar" : "user-avatar");
    avatar.textContent = message.from === "bot" ? "C" : (state.texts.you || "Y").slice(0, 1);
    var column = document.createElement("div");
    column.className = "msg-column";
    var name = document.createElement("div");
    name.className = "msg-name";
    name.textContent = message.from === "bot" ? state.texts.bot_name : state.texts.you;
    if (message.version > 0) {
      var tag = document.createElement("span");
      tag.className = "updated";
      tag.textContent = " · " + state.texts.updated;
      name.appendChild(tag);
    }
    column.appendChild(name);
    var parent = message.parent_id && state.messages[message.parent_id];
    if (parent) {
      var quote = document.createElement("div");
      quote.className = "quote";
      quote.textContent = state.texts.reply_to + " " + (parent.from === "bot" ? state.texts.bot_name : state.texts.you) + ": " + textOf(parent).slice(0, 80);
      column.appendChild(quote);
    }
    column.appendChild(bubble(message));
    row.appendChild(avatar);
    row.appendChild(column);
    if (fresh && message.chat !== state.chat) {
      state.unread[message.chat] += 1;
      showBadges();
    }
    return fresh;
  }

  function room(info) {
    /* A war-room group the bot created: a sidebar entry and a timeline of its own. */
    var item = $("chat-" + info.id);
    if (!item) {
      item = document.createElement("li");
      item.className = "chat-item";
      item.dataset.chat = info.id;
      item.id = "chat-" + info.id;
      item.innerHTML = '<span class="avatar group-avatar">!</span><span class="chat-names"><b class="chat-title"></b><small class="chat-sub"></small></span><span class="badge" hidden></span>';
      item.onclick = function () { switchTo(info.id); };
      $("chat-p2p").parentNode.appendChild(item);
      var timeline = document.createElement("section");
      timeline.className = "timeline";
      timeline.id = "timeline-" + info.id;
      timeline.dataset.chat = info.id;
      timeline.hidden = true;
      $("timeline-p2p").parentNode.insertBefore(timeline, $("timeline-p2p").nextSibling);
      state.unread[info.id] = 0;
    }
    state.rooms[info.id] = info;
    item.querySelector(".chat-title").textContent = info.name;
    item.querySelector(".chat-sub").textContent = info.description;
    if (state.chat === info.id) {
      $("pane-title").textContent = info.name;
      $("pane-sub").textContent = info.description;
    }
  }

  function showBadges() {
    Object.keys(state.unread).forEach(function (chat) {
      var badge = $("chat-" + chat).querySelector(".badge");
      badge.hidden = !state.unread[chat];
      badge.textContent = state.unread[chat];
    });
  }
  function scrollDown(chat) {
    var timeline = $("timeline-" + chat);
    timeline.scrollTop = timeline.scrollHeight;
  }

  function poll() {
    api("messages?since=" + state.seq).then(function (answer) {
      var touched = {};
      (answer.rooms || []).forEach(room);
      (answer.messages || []).forEach(function (message) {
        state.messages[message.id] = message;
        draw(message);
        touched[message.chat] = true;
      });
      state.seq = Math.max(state.seq, answer.seq || 0);
      Object.keys(touched).forEach(scrollDown);
    }).catch(function () { /* the server restarts: keep polling */ }).then(function () {
      setTimeout(poll, 400);
    });
  }

  function examples() {
    var box = $("examples");
    box.innerHTML = "";
    String(state.texts["examples_" + state.chat] || "").split("\n").filter(Boolean).forEach(function (example) {
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "example";
      chip.textContent = example;
      chip.onclick = function () { $("input").value = example; $("input").focus(); };
      box.appendChild(chip);
    });
  }

  function switchTo(chat) {
    state.chat = chat;
    document.querySelectorAll(".chat-item").forEach(function (item) { item.classList.toggle("active", item.dataset.chat === chat); });
    document.querySelectorAll(".timeline").forEach(function (t) { t.hidden = t.dataset.chat !== chat; });
    var here = state.rooms[chat];
    $("pane-title").textContent = here ? here.name : chat === "group" ? state.texts.group : state.texts.bot_name;
    $("pane-sub").textContent = here ? here.description : chat === "group" ? state.texts.group_members : state.texts.p2p_subtitle;
    $("input").placeholder = state.texts["placeholder_" + (here ? "group" : chat)];
    $("hint").textContent = chat !== "p2p" ? state.texts.hint_group : "";
    $("alert-button").hidden = chat !== "group";
    state.unread[chat] = 0;
    showBadges();
    examples();
    scrollDown(chat);
  }

  function send() {
    var text = $("input").value.trim();
    if (!text) return;
    $("input").value = "";
    api("say", { chat: state.chat, text: text }).then(function (answer) {
      if (answer.status !== 200) toast(fill(state.texts.delivery_failed, { status: answer.status || answer._http }), "error");
    });
  }

  function person(openId) {
    if (openId === state.info.user) return state.texts.you;
    return (state.info.people || {})[openId] || openId;
  }

  function rota() {
    api("oncall").then(function (answer) {
      var teams = answer.teams || [];
      $("rota").hidden = !teams.length;
      $("rota-title").textContent = state.texts.oncall;
      var list = $("rota-list");
      list.innerHTML = "";
      teams.forEach(function (team) {
        var item = document.createElement("li");
        item.className = "rota-team";
        item.dataset.team = team.team;
        item.textContent = fill(state.texts.oncall_team, { team: team.team, current: person(team.current), next: person(team.next) });
        list.appendChild(item);
      });
    }).catch(function () { /* shown again at the next refresh */ }).then(function () {
      setTimeout(rota, 30000);
    });
  }

  function start(info) {
    state.info = info;
    Object.assign(state.texts, info.texts);
    document.documentElement.lang = info.lang;
    document.title = state.texts.title;
    $("brand").textContent = state.texts.title;
    $("banner").textContent = state.texts.banner;
    $("status").textContent = fill(state.texts.status, { metrics: info.metrics, cluster: info.cluster ? state.texts.cluster_on : state.texts.cluster_off });
    $("chat-group").querySelector(".chat-title").textContent = state.texts.group;
    $("chat-group").querySelector(".chat-sub").textContent = state.texts.group_members;
    $("chat-p2p").querySelector(".chat-title").textContent = state.texts.bot_name;
    $("chat-p2p").querySelector(".chat-sub").textContent = state.texts.p2p_subtitle;
    $("send").textContent = state.texts.send;
    $("modal-ok").textContent = state.texts.confirm;
    $("modal-cancel").textContent = state.texts.cancel;
    var alertButton = $("alert-button");
    alertButton.textContent = state.texts.alert;
    alertButton.disabled = !info.alerts;
    alertButton.title = info.alerts ? "" : state.texts.alert_unavailable;
    alertButton.onclick = function () {
      api("alert", {}).then(function (answer) { toast(fill(state.texts.alert_sent, { status: answer.status || answer._http }), answer.status === 200 ? "success" : "error"); });
    };
    document.querySelectorAll(".chat-item").forEach(function (item) { item.onclick = function () { switchTo(item.dataset.chat); }; });
    $("send").onclick = send;
    $("input").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
    });
    switchTo("group");
    document.body.dataset.ready = "1";
    poll();
    rota();
  }

  api("info").then(start);
})();
