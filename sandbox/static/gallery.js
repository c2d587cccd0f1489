/* The card gallery: fetches every builder's sample card (/sandbox/api/gallery?lang=...) and
   renders each with the web chat's own renderer (cards.js). Buttons send nothing here. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(window.location.search);
  var query = params.get("lang") ? "?lang=" + encodeURIComponent(params.get("lang")) : "";
  function toast(content) {
    var box = $("toast");
    box.textContent = content;
    box.className = "toast toast-info";
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 2600);
  }
  fetch("/sandbox/api/gallery" + query).then(function (r) { return r.json(); }).then(function (data) {
    var texts = data.texts;
    document.documentElement.lang = data.lang;
    document.title = texts.gallery_title;
    $("gallery-title").textContent = texts.gallery_title;
    $("gallery-intro").textContent = texts.gallery_intro;
    $("gallery-other").textContent = texts.gallery_other;
    $("gallery-other").href = "/sandbox/gallery?lang=" + data.other;
    var actions = {
      texts: texts,
      confirm: function () { return Promise.resolve(true); },
      click: function () { toast(texts.gallery_inactive); }
    };
    var gallery = $("gallery");
    data.cards.forEach(function (entry) {
      var item = document.createElement("figure");
      item.className = "gallery-item";
      item.dataset.builder = entry.builder;
      item.dataset.state = entry.state;
      var caption = document.createElement("figcaption");
      caption.textContent = entry.builder;
      if (entry.state) {
        var state = document.createElement("span");
        state.className = "state";
        state.textContent = entry.state;
        caption.appendChild(state);
      }
      item.appendChild(caption);
      item.appendChild(window.renderCard(entry.card, actions));
      gallery.appendChild(item);
    });
    document.body.dataset.ready = "1";
  });
})();
