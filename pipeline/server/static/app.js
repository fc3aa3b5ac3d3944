// vanban page: a little help around plain HTML forms and links.
(function () {
  "use strict";

  // Upload: show the chosen files, accept a drop, say that work is under way.
  var form = document.getElementById("upload-form");
  if (form) {
    var input = document.getElementById("files");
    var chosen = document.getElementById("chosen");
    var zone = form.querySelector(".dropzone");
    var show = function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? names.join(", ") : "Chưa chọn tệp nào";
    };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (ev) {
      zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
    form.addEventListener("submit", function () {
      document.getElementById("upload-button").disabled = true;
      document.getElementById("busy").hidden = false;
    });
  }

  // Document: a click on an item shows where it stands in the text, and the other way round.
  var text = document.getElementById("fulltext");
  if (!text) { return; }
  var clearMarks = function () {
    document.querySelectorAll(".hl.flash").forEach(function (el) { el.classList.remove("flash"); });
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  };
  var showInText = function (item) {
    clearMarks();
    var hits = text.querySelectorAll('.hl[data-items~="' + item + '"]');
    hits.forEach(function (el) { el.classList.add("flash"); });
    if (hits.length) {
      var first = hits[0];
      text.scrollTop = first.offsetTop - text.offsetTop - 40;
    }
  };
  document.querySelectorAll(".locatable[data-item]").forEach(function (el) {
    el.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      e.stopPropagation();
      showInText(el.getAttribute("data-item"));
      var node = el.closest(".node") || el;
      node.classList.add("active");
    });
  });
  text.addEventListener("click", function (e) {
    var span = e.target.closest(".hl");
    if (!span) { return; }
    var items = span.getAttribute("data-items").split(" ");
    var target = null;
    for (var i = items.length - 1; i >= 0 && !target; i--) {
      target = document.getElementById("node-" + items[i]) ||
               document.querySelector('.locatable[data-item="' + items[i] + '"]');
    }
    if (target) {
      clearMarks();
      target.classList.add("active");
      target.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  });
  // Legend: show or hide one kind of highlight.
  document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
    });
  });
})();
