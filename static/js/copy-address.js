// "Copy the address" beside a calendar feed's address. Without this file (or without a
// clipboard the page may write to) the button stays hidden and the address is still there
// to select and copy by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!field || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          status.textContent = "Copied. Paste it where your calendar app asks for a calendar's URL.";
        },
        function () {
          field.select();
          status.textContent = "Your browser did not let the page copy. The address is selected: copy it with your keyboard.";
        }
      );
    });
  });
})();
