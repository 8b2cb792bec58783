// The DOM helpers the page modules share: build an element from attributes and children; replace a
// region's children without losing the reader's keyboard focus inside it.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const FOCUSABLE = "a[href], button, summary, input, select, textarea, [tabindex]";

/** Replace box's children; if focus was inside, put it on the same control of the new content (same place
 * among the focusable elements, same tag), else on fallback: a re-render must not drop focus to <body>. */
export function replaceKeepingFocus(box, fallback, ...children) {
  const active = document.activeElement;
  const inside = active && active !== box && box.contains(active);
  const place = inside ? [...box.querySelectorAll(FOCUSABLE)].indexOf(active) : -1;
  box.replaceChildren(...children);
  if (!inside) return;
  const same = box.querySelectorAll(FOCUSABLE)[place];
  const target = same && same.tagName === active.tagName ? same : fallback();
  if (target) target.focus({ preventScroll: true });
}
