// In-page jumps on the calculator page. They scroll and move focus themselves, so the URL fragment keeps
// the form state (share-link.js), and the target lands below the sticky header and, on a phone, below the
// sticky status bar.

import { h } from "./dom.js";

/** Scroll `target` to the top of the visible area (below the sticky parts) and give it focus. */
export function jumpTo(target, stickyBar) {
  const header = document.querySelector(".md-header");
  let offset = header ? header.getBoundingClientRect().height : 0;
  if (stickyBar && getComputedStyle(stickyBar).position === "sticky") offset += stickyBar.getBoundingClientRect().height;
  target.style.scrollMarginTop = `${Math.ceil(offset) + 8}px`;
  target.scrollIntoView({ block: "start" });
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
}

/** A link to "#id" that jumps itself and keeps the event from mkdocs-material's instant navigation, which
 * would write the anchor into the address and so drop the form state from it. */
export function scrollLink(targetId, text, stickyBar = null) {
  const link = h("a", { href: `#${targetId}`, class: "b12-calc__jump" }, text);
  link.addEventListener("click", (event) => {
    const target = document.getElementById(targetId);
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    jumpTo(target, stickyBar);
  });
  return link;
}
