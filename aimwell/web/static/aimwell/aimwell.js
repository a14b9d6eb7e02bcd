// Small behaviours the templates declare with data attributes. The Content Security Policy
// forbids inline scripts and event handlers, so none live in the HTML.
document.addEventListener("change", (event) => {
  const field = event.target;
  // <select data-autosubmit>: choosing an option submits its form (a <noscript> button remains).
  if (field instanceof HTMLSelectElement && "autosubmit" in field.dataset && field.form) {
    field.form.submit();
  }
});
