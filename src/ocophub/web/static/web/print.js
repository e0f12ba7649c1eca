/* A button marked data-print prints the page (a listener, as the policy allows no onclick="…"). */
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
