/* The counter: keeps the barcode field ready for the next scan, computes the change as the cashier
   types, fills amounts from the quick buttons, adds up the counted notes, prints receipts.
   Everything here is an enhancement: the forms work without it. */
(function () {
  "use strict";

  var locale = document.documentElement.lang === "vi" ? "vi" : "en";

  function digits(text) {
    var clean = String(text || "").replace(/[\s.,₫đ]|VND/gi, "");
    return /^\d+$/.test(clean) ? parseInt(clean, 10) : null;
  }

  function money(amount) {
    var sign = amount < 0 ? "-" : "";
    var grouped = Math.abs(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, locale === "vi" ? "." : ",");
    return locale === "vi" ? sign + grouped + " ₫" : sign + "₫" + grouped;
  }

  function focusScanner() {
    var field = document.getElementById("pos-code");
    if (field) {
      field.value = "";
      field.focus();
    }
  }

  function updateChange() {
    var form = document.getElementById("pos-pay");
    var field = document.getElementById("pos-tendered");
    var out = document.getElementById("pos-change");
    if (!form || !field || !out) return;
    var total = parseInt(form.dataset.total, 10) || 0;
    var given = digits(field.value);
    if (field.value.trim() === "") {
      out.textContent = "—";
      out.classList.remove("pos-change-short");
    } else if (given === null || given < total) {
      out.textContent = given === null ? "—" : money(given - total);
      out.classList.add("pos-change-short");
    } else {
      out.textContent = money(given - total);
      out.classList.remove("pos-change-short");
    }
  }

  function updateVariance() {
    var field = document.getElementById("counted_cash");
    var out = document.getElementById("variance-preview");
    if (!field || !out) return;
    var counted = digits(field.value);
    var expected = parseInt(field.dataset.expected, 10) || 0;
    out.className = "pos-preview";
    if (counted === null) {
      out.textContent = "";
      return;
    }
    var variance = counted - expected;
    var kind = variance > 0 ? "over" : variance < 0 ? "short" : "even";
    out.textContent = (variance > 0 ? "+" : "") + money(variance) + " · " + (out.dataset[kind] || "");
    out.classList.add("pos-" + kind);
  }

  function showEnhancements(root) {
    root.querySelectorAll(".pos-quick[hidden], .pos-count[hidden]").forEach(function (node) {
      node.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest(".pos-chip[data-amount]");
    if (chip) {
      var target = document.getElementById(chip.closest("[data-fill]").dataset.fill);
      if (target) {
        target.value = chip.dataset.amount;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.focus();
      }
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.id === "pos-tendered") updateChange();
    if (event.target.id === "counted_cash") updateVariance();
    if (event.target.classList.contains("pos-note")) {
      var table = event.target.closest("[data-count-into]");
      var sum = 0;
      table.querySelectorAll(".pos-note").forEach(function (input) {
        sum += (digits(input.value) || 0) * parseInt(input.dataset.note, 10);
      });
      var counted = document.getElementById(table.dataset.countInto);
      counted.value = sum ? String(sum) : "";
      updateVariance();
    }
  });

  // A scanner types the code and Enter into the barcode field; the basket answers, then the field is
  // emptied and focused again for the next item (also after a tap on a product or a +/− button).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "pos-basket") {
      var basket = document.getElementById("pos-basket");
      if (basket) showEnhancements(basket);
      updateChange();
      focusScanner();
    }
  });

  // one tap, one payment (or return, or shift): a second tap while the first is on its way does nothing;
  // the server finds the first one anyway when a retry gets through
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });

  // the till fills the screen below the site's header, whatever the header's height
  function fitTill() {
    var till = document.querySelector(".pos-till");
    if (till) till.style.setProperty("--pos-top", till.getBoundingClientRect().top + window.scrollY + "px");
  }
  window.addEventListener("resize", fitTill);

  document.addEventListener("DOMContentLoaded", function () {
    fitTill();
    showEnhancements(document);
    updateChange();
    updateVariance();
  });

  window.addEventListener("pageshow", function (event) {
    // coming back to the till from the receipt with the browser's back button
    if (event.persisted) {
      document.querySelectorAll("form[data-once]").forEach(function (form) {
        delete form.dataset.sent;
      });
    }
  });
})();
