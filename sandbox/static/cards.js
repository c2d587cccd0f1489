/* Renders Feishu card JSON 2.0 as the client would: header (title, subtitle, template
   colour), markdown, hr, column_set/column, collapsible_panel, table (paged), chart,
   button (callback / open_url, confirm, disabled), form with inputs, img placeholder.
   Exposes window.renderCard(card, actions) where actions = {click(value, form, button),
   confirm(title, text) -> Promise<boolean>, texts}. */
(function () {
  "use strict";
  function node(tag, className, content) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (content !== undefined) n.textContent = content;
    return n;
  }
  function plain(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    return value.content || "";
  }
  function fill(template, params) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return params[k] !== undefined ? params[k] : ""; });
  }

  function formatCell(column, value, texts) {
    var cell = node("td");
    var type = column.data_type || "text";
    if (value === undefined || value === null) return cell;
    if (type === "lark_md") {
      cell.innerHTML = window.renderMarkdown(String(value));
    } else if (type === "number") {
      var f = column.format || {};
      var number = Number(value);
      var shown = isFinite(number) && f.precision !== undefined ? number.toFixed(f.precision) : String(value);
      if (f.separator) shown = shown.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      cell.textContent = (f.symbol || "") + shown;
      cell.className = "num";
    } else if (type === "options") {
      (Array.isArray(value) ? value : [value]).forEach(function (o) {
        var chip = node("span", "option-chip option-" + ((o && o.color) || "grey"), typeof o === "object" ? o.text : String(o));
        cell.appendChild(chip);
      });
    } else if (type === "date") {
      cell.textContent = new Date(Number(value)).toLocaleString();
    } else if (type === "persons") {
      cell.textContent = (Array.isArray(value) ? value : [value]).map(function (p) { return "@" + (p.id || p); }).join(" ");
    } else {
      cell.textContent = String(value);
    }
    return cell;
  }

  function table(element, texts) {
    var box = node("div", "card-table");
    var columns = element.columns || [], rows = element.rows || [];
    var size = Math.max(1, element.page_size || 5), pages = Math.max(1, Math.ceil(rows.length / size)), page = 0;
    var tableNode = node("table");
    var head = node("tr");
    columns.forEach(function (c) { head.appendChild(node("th", c.data_type === "number" ? "num" : "", c.display_name || c.name)); });
    var thead = node("thead"); thead.appendChild(head); tableNode.appendChild(thead);
    var body = node("tbody"); tableNode.appendChild(body);
    var pager = node("div", "pager");
    function draw() {
      body.innerHTML = "";
      rows.slice(page * size, page * size + size).forEach(function (row) {
        var tr = node("tr");
        columns.forEach(function (c) { tr.appendChild(formatCell(c, row[c.name], texts)); });
        body.appendChild(tr);
      });
      pager.innerHTML = "";
      if (pages > 1) {
        var prev = node("button", "pager-button", "‹"), next = node("button", "pager-button", "›");
        prev.disabled = page === 0; next.disabled = page === pages - 1;
        prev.onclick = function () { page -= 1; draw(); };
        next.onclick = function () { page += 1; draw(); };
        pager.appendChild(prev);
        pager.appendChild(node("span", "", fill(texts.table_page, { page: page + 1, pages: pages })));
        pager.appendChild(next);
      }
    }
    draw();
    box.appendChild(tableNode);
    box.appendChild(pager);
    return box;
  }

  function button(element, actions, form) {
    var b = node("button", "card-button btn-" + (element.type || "default"), plain(element.text));
    b.type = "button";
    if (element.width === "fill") b.classList.add("fill");
    b.disabled = Boolean(element.disabled);
    var behaviours = element.behaviors || [];
    b.onclick = function () {
      var go = element.confirm
        ? actions.confirm(plain(element.confirm.title), plain(element.confirm.text))
        : Promise.resolve(true);
      go.then(function (ok) {
        if (!ok) return;
        behaviours.forEach(function (behaviour) {
          if (behaviour.type === "open_url") {
            var url = behaviour.default_url || behaviour.pc_url;
            if (/^https?:\/\//.test(url || "")) window.open(url, "_blank", "noopener");
          }
        });
        var callback = behaviours.find(function (x) { return x.type === "callback"; });
        var submit = form && (element.form_action_type === "submit" || element.action_type === "form_submit");
        if (callback || submit) {
          actions.click(callback ? callback.value : {}, submit ? form.values() : null, b);
        }
      });
    };
    return b;
  }

  function input(element) {
    var wrap = node("label", "card-input");
    if (element.label) wrap.appendChild(node("span", "input-label", plain(element.label)));
    var field = node("input");
    field.name = element.name || "";
    field.placeholder = plain(element.placeholder);
    field.value = element.default_value || "";
    if (element.max_length) field.maxLength = element.max_length;
    field.required = Boolean(element.required);
    wrap.appendChild(field);
    return wrap;
  }

  function render(element, actions, form) {
    var tag = element.tag;
    if (tag === "markdown" || tag === "div") {
      var md = node("div", "card-md" + (element.text_size === "notation" ? " notation" : ""));
      md.innerHTML = window.renderMarkdown(element.content !== undefined ? element.content : plain(element.text));
      if (element.text_align) md.style.textAlign = element.text_align;
      return md;
    }
    if (tag === "hr") return node("hr", "card-hr");
    if (tag === "table") return table(element, actions.texts);
    if (tag === "chart") return window.renderChart(element.chart_spec || {}, element.aspect_ratio, actions.texts.no_data);
    if (tag === "button") return button(element, actions, form);
    if (tag === "input") return input(element);
    if (tag === "img") return node("div", "card-img", plain(element.alt) || actions.texts.image);
    if (tag === "column_set") {
      var set = node("div", "card-columns" + (element.flex_mode === "flow" ? " flow" : ""));
      (element.columns || []).forEach(function (column) {
        var col = node("div", "card-column");
        if (column.width === "auto") col.style.flex = "0 0 auto";
        else col.style.flex = String(column.weight || 1) + " 1 0";
        if (column.vertical_align) col.style.alignSelf = { top: "flex-start", center: "center", bottom: "flex-end" }[column.vertical_align] || "";
        (column.elements || []).forEach(function (child) { col.appendChild(render(child, actions, form)); });
        set.appendChild(col);
      });
      return set;
    }
    if (tag === "collapsible_panel") {
      var panel = node("details", "card-panel");
      panel.open = Boolean(element.expanded);
      var summary = node("summary");
      var title = (element.header || {}).title || {};
      summary.innerHTML = window.renderMarkdown(title.content || "");
      panel.appendChild(summary);
      var inner = node("div", "panel-body");
      (element.elements || []).forEach(function (child) { inner.appendChild(render(child, actions, form)); });
      panel.appendChild(inner);
      return panel;
    }
    if (tag === "form") {
      var formNode = node("form", "card-form");
      formNode.onsubmit = function (event) { event.preventDefault(); };
      var handle = {
        values: function () {
          var values = {};
          formNode.querySelectorAll("input[name]").forEach(function (i) { values[i.name] = i.value; });
          return values;
        }
      };
      (element.elements || []).forEach(function (child) { formNode.appendChild(render(child, actions, handle)); });
      return formNode;
    }
    return node("div", "card-unknown", "[" + tag + "]");
  }

  window.renderCard = function (card, actions) {
    var box = node("div", "card");
    var header = card.header;
    if (header && (header.title || header.subtitle)) {
      var head = node("div", "card-header template-" + (header.template || "default"));
      head.dataset.template = header.template || "default";
      var title = node("div", "card-title", plain(header.title));
      (header.text_tag_list || []).forEach(function (tag) {  /* e.g. the card's cluster */
        var shown = node("span", "card-tag tag-" + (tag.color || "neutral"), plain(tag.text));
        title.appendChild(shown);
      });
      head.appendChild(title);
      if (header.subtitle) head.appendChild(node("div", "card-subtitle", plain(header.subtitle)));
      box.appendChild(head);
    }
    var body = node("div", "card-body");
    var elements = (card.body && card.body.elements) || card.elements || [];
    elements.forEach(function (element) { body.appendChild(render(element, actions, null)); });
    box.appendChild(body);
    return box;
  };
})();
