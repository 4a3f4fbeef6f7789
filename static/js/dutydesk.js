// dutydesk: shared behaviour, no inline scripts in templates.
// Buttons and forms with data-confirm ask before a destructive action.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // A double click submits once: disable the buttons until the next page arrives.
  if (!form.hasAttribute("hx-post") && !form.dataset.allowResubmit) {
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  }
}, true);
