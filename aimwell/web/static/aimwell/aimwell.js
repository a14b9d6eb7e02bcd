// Small behaviours the templates declare with data attributes. The Content Security Policy
// forbids inline scripts and event handlers, so none live in the HTML.
document.addEventListener("change", (event) => {
  const field = event.target;
  // <select data-autosubmit>: choosing an option submits its form (a <noscript> button remains).
  if (field instanceof HTMLSelectElement && "autosubmit" in field.dataset && field.form) {
    field.form.submit();
  }
});

// The navigation toggle of narrow screens: without this script the navigation simply stays open
// (the CSS folds it only under html.js), so the button is shown only when it works.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("nav-open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) {
      toggle.setAttribute("aria-expanded", "false");
      document.body.classList.remove("nav-open");
      toggle.focus();
    }
  });
});

// Searchable pickers (core/picker.html): a result button picks its record; × removes it. The
// hidden value holds the ids (space-separated when the picker takes several).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button") : null;
  const picker = button ? button.closest("[data-picker]") : null;
  if (!button || !picker) return;
  const field = picker.querySelector(".picker-value");
  const chosen = picker.querySelector(".picker-chosen");
  const multiple = "multiple" in picker.dataset;
  let values = field.value.split(/\s+/).filter(Boolean);
  const value = button.dataset.value;
  if (button.classList.contains("picker-option")) {
    if (!multiple) {
      values = [];
      chosen.replaceChildren();
    }
    if (!values.includes(value)) {
      values.push(value);
      const item = document.createElement("li");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary picker-remove";
      remove.dataset.value = value;
      remove.setAttribute("aria-label", `Remove ${button.dataset.label}`);
      remove.textContent = "×";
      item.append(button.dataset.label + " ", remove);
      chosen.append(item);
    }
    picker.querySelector(".picker-results").replaceChildren();
    const search = picker.querySelector(".picker-search");
    search.value = "";
    search.focus();
  } else if (button.classList.contains("picker-remove")) {
    values = values.filter((v) => v !== value);
    button.closest("li").remove();
  } else {
    return;
  }
  field.value = values.join(" ");
});
