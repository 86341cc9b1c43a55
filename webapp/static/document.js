// Document view: show where a field was read, zoom the scan, add/remove list rows.
(function () {
  "use strict";
  var data = document.getElementById("evidence-data");
  var evidence = data ? JSON.parse(data.textContent) : {};
  var statusLine = document.getElementById("evidence-status");
  var scroller = document.getElementById("scan-scroll");

  // "/references/0/date" -> evidence for it, else for "/references/0", else "/references".
  function findEvidence(pointer) {
    var parts = (pointer || "").split("/");
    while (parts.length > 1) {
      var key = parts.join("/");
      if (evidence[key]) return { pointer: key, ev: evidence[key] };
      parts.pop();
    }
    return null;
  }

  // The text view's characters are the record's text, so evidence spans index it directly.
  var textView = document.getElementById("text-view");

  function rangeFor(root, start, end) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var range = document.createRange(), pos = 0, started = false, node;
    while ((node = walker.nextNode())) {
      var length = node.nodeValue.length;
      if (!started && start <= pos + length) { range.setStart(node, start - pos); started = true; }
      if (started && end <= pos + length) { range.setEnd(node, end - pos); return range; }
      pos += length;
    }
    return null;
  }

  function highlightSpan(span) {
    if (!textView || !window.CSS || !CSS.highlights) return;
    CSS.highlights.delete("evidence");
    var range = span && rangeFor(textView, span[0], span[1]);
    if (!range) return;
    CSS.highlights.set("evidence", new Highlight(range));
    var rect = range.getBoundingClientRect(), view = textView.getBoundingClientRect();
    textView.scrollTop += rect.top - view.top - textView.clientHeight / 3;
  }

  function hideBoxes() {
    document.querySelectorAll("rect.evidence-box").forEach(function (r) {
      r.setAttribute("visibility", "hidden");
    });
  }

  function showEvidence(pointer) {
    hideBoxes();
    var found = findEvidence(pointer);
    highlightSpan(found && found.ev.span);
    if (!found) {
      statusLine.textContent = pointer + ": no evidence recorded (typed by hand or not found on the page).";
      return;
    }
    var ev = found.ev;
    var pct = ev.confidence == null ? "" : " · confidence " + Math.round(ev.confidence * 100) + "%";
    statusLine.textContent = found.pointer + " — read from “" + (ev.quote || "") + "”" +
      (ev.page ? " · page " + ev.page : "") + pct;
    if (!ev.page || !ev.box) return;
    var figure = document.querySelector('figure.page[data-page="' + ev.page + '"]');
    var rect = figure && figure.querySelector("rect.evidence-box");
    if (!rect) return;
    var pad = 6;
    rect.setAttribute("x", ev.box[0] - pad);
    rect.setAttribute("y", ev.box[1] - pad);
    rect.setAttribute("width", ev.box[2] + 2 * pad);
    rect.setAttribute("height", ev.box[3] + 2 * pad);
    rect.setAttribute("visibility", "visible");
    scrollToBox(figure, ev.box);
  }

  function scrollToBox(figure, box) {
    var svg = figure.querySelector("svg.overlay");
    var viewWidth = svg.viewBox.baseVal.width, viewHeight = svg.viewBox.baseVal.height;
    var frame = figure.querySelector(".page-frame");
    var scale = frame.clientWidth / viewWidth;
    var top = figure.offsetTop - scroller.offsetTop + box[1] * scale;
    var left = box[0] * scale;
    scroller.scrollTo({ top: Math.max(0, top - scroller.clientHeight / 3),
                        left: Math.max(0, left - scroller.clientWidth / 4), behavior: "smooth" });
  }

  document.addEventListener("focusin", function (event) {
    var pointer = event.target.getAttribute && event.target.getAttribute("data-pointer");
    if (pointer) showEvidence(pointer);
  });
  document.querySelectorAll(".focus-field").forEach(function (button) {
    button.addEventListener("click", function () {
      var pointer = button.getAttribute("data-pointer");
      var input = fieldInput(pointer);
      if (input) { input.focus(); input.scrollIntoView({ block: "center" }); }
      else showEvidence(pointer);
    });
  });

  // Zoom: the overlay is an SVG in the page's own pixel space, so it follows the image.
  var zoom = 1;
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = Number(button.getAttribute("data-zoom"));
      zoom = step === 0 ? 1 : Math.min(4, Math.max(0.5, zoom * (step > 0 ? 1.25 : 0.8)));
      document.querySelectorAll("figure.page").forEach(function (f) { f.style.width = (zoom * 100) + "%"; });
    });
  });
  var toggle = document.getElementById("toggle-words");
  if (toggle) toggle.addEventListener("change", function () {
    document.querySelectorAll("svg.overlay").forEach(function (s) { s.classList.toggle("hide-words", !toggle.checked); });
  });

  // List rows: add from the fieldset's <template>, remove the row (an empty list is fine).
  document.querySelectorAll("fieldset.list").forEach(function (set) {
    var body = set.querySelector("tbody"), template = set.querySelector("template");
    var add = set.querySelector(".add-row");
    if (add) add.addEventListener("click", function () {
      body.appendChild(template.content.cloneNode(true));
      var inputs = body.querySelectorAll("tr:last-child input");
      if (inputs.length) inputs[0].focus();
      markDirty();
    });
    set.addEventListener("click", function (event) {
      if (event.target.classList.contains("remove-row")) {
        event.target.closest("tr").remove();
        markDirty();
      }
    });
  });

  // The form's control for a field (the review reasons' buttons carry the pointer too).
  function fieldInput(pointer) {
    var sel = '[data-pointer="' + pointer + '"]';
    return document.querySelector("input" + sel + ", textarea" + sel + ", select" + sel);
  }

  // A value the verifier withheld: "Use this value" puts it into the form (not saved until
  // the archivist saves). A scalar fills its input; a list item becomes a new row.
  document.querySelectorAll(".accept-proposed").forEach(function (button) {
    button.addEventListener("click", function () {
      var pointer = button.getAttribute("data-pointer");
      var value = JSON.parse(button.getAttribute("data-proposed"));
      var parts = pointer.split("/");
      var set = parts.length === 3 && /^\d+$/.test(parts[2]) ? document.querySelector('fieldset.list[data-list="' + parts[1] + '"]') : null;
      if (set) {
        set.querySelector(".add-row").click();
        set.querySelectorAll("tbody tr:last-child input").forEach(function (input) {
          var part = input.name.split(".").slice(2).join(".");
          var v = part ? (value || {})[part] : value;
          input.value = v === null || v === undefined ? "" : String(v);
        });
      } else {
        var input = fieldInput(pointer);
        if (!input) return;
        input.value = value;
        input.focus();
      }
      button.disabled = true;
      button.textContent = "Used: save to keep it";
      markDirty();
    });
  });

  // Ctrl+S / Cmd+S saves the form (when this user may save).
  document.addEventListener("keydown", function (event) {
    var save = document.getElementById("save-button");
    if ((event.ctrlKey || event.metaKey) && event.key === "s" && save && !save.closest("fieldset").disabled) {
      event.preventDefault();
      save.click();
    }
  });

  // Warn before leaving with unsaved changes.
  var form = document.getElementById("edit-form"), dirty = false;
  function markDirty() { dirty = true; }
  var approveForm = document.getElementById("approve-form");
  if (approveForm) approveForm.addEventListener("submit", function (event) {
    if (!dirty) return;
    event.preventDefault();  // approving would drop the unsaved edits
    var hint = document.getElementById("approve-hint");
    hint.hidden = false;
    hint.textContent = "You have unsaved changes: save them first, then approve.";
  });
  if (form) {
    form.addEventListener("input", markDirty);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
