/* Feishu card markdown (lark_md subset) to safe HTML: escapes first, then bold, italic,
   strikethrough, inline and fenced code, links, <font color>, <at>, headings, lists and
   line breaks. Exposes window.renderMarkdown(text). */
(function () {
  "use strict";
  function escapeHtml(text) {
    // Numeric character references (what escape_markdown writes for < and >) stay: Feishu
    // shows them as the character, and so does the browser, as text.
    return String(text).replace(/&(?!#\d{1,6};)|[<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var FONT_COLOURS = /^(red|green|grey|gray|blue|orange|yellow|purple|carmine|turquoise|violet|wathet|indigo)$/;
  function inline(text) {
    var codes = [];
    var out = text.replace(/`([^`\n]+)`/g, function (_, code) {
      codes.push("<code>" + code + "</code>");
      return "\u0000" + (codes.length - 1) + "\u0000";
    });
    out = out
      .replace(/\*\*([^*\n]+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^*])\*([^*\n]+?)\*(?!\*)/g, "$1<em>$2</em>")
      .replace(/~~([^~\n]+?)~~/g, "<del>$1</del>")
      .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, function (_, label, url) {
        return '<a href="' + url + '" target="_blank" rel="noopener noreferrer">' + label + "</a>";
      })
      .replace(/&lt;font color=(?:&#39;|&quot;)?([a-z-]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/font&gt;/g,
        function (all, colour, inner) {
          var name = colour.replace(/^.*-/, "");
          return FONT_COLOURS.test(name) ? '<span class="font-' + name + '">' + inner + "</span>" : all;
        })
      .replace(/&lt;at (?:id|user_id|open_id)=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;&lt;\/at&gt;/g,
        '<span class="mention">@$1</span>');
    return out.replace(/\u0000(\d+)\u0000/g, function (_, i) { return codes[Number(i)]; });
  }
  function renderMarkdown(source) {
    var lines = escapeHtml(source || "").split("\n");
    var html = [];
    var list = null;
    var fence = null;
    function closeList() {
      if (list) { html.push("</" + list + ">"); list = null; }
    }
    lines.forEach(function (line, index) {
      if (/^```/.test(line)) {
        if (fence === null) { closeList(); fence = []; }
        else { html.push("<pre><code>" + fence.join("\n") + "</code></pre>"); fence = null; }
        return;
      }
      if (fence !== null) { fence.push(line); return; }
      var bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
      var numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      var heading = /^(#{1,4})\s+(.*)$/.exec(line);
      if (bullet || numbered) {
        var kind = bullet ? "ul" : "ol";
        if (list !== kind) { closeList(); html.push("<" + kind + ">"); list = kind; }
        html.push("<li>" + inline((bullet || numbered)[1]) + "</li>");
        return;
      }
      closeList();
      if (heading) {
        html.push("<h" + (heading[1].length + 2) + ">" + inline(heading[2]) + "</h" + (heading[1].length + 2) + ">");
      } else if (/^\s*(---|\*\*\*)\s*$/.test(line)) {
        html.push("<hr>");
      } else {
        html.push(inline(line) + (index < lines.length - 1 ? "<br>" : ""));
      }
    });
    if (fence !== null) html.push("<pre><code>" + fence.join("\n") + "</code></pre>");
    closeList();
    return html.join("").replace(/(<br>)+$/, "");
  }
  window.escapeHtml = escapeHtml;
  window.renderMarkdown = renderMarkdown;
})();
