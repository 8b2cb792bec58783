// An accessible name for a mkdocs-material element that ships without one (axe-core: aria-dialog-name).
// The header's search is a dialog; it lives outside the page content, so instant navigation keeps it and
// labelling it once per visit is enough. A module loaded from mkdocs.yml: no inline script.
const search = document.querySelector(".md-search[role='dialog']");
if (search && !search.hasAttribute("aria-label")) {
  search.setAttribute("aria-label", "Search this site");
}

// A table wider than the screen scrolls sideways inside mkdocs-material's .md-typeset__scrollwrap; a
// keyboard user can scroll it only if it takes focus (axe-core: scrollable-region-focusable). Wrappers
// that overflow become focusable, named regions. A ResizeObserver reports each wrapper after layout
// (when it first appears and whenever its size changes: rotating a phone, a font loading), so reading
// its widths forces no extra layout on a page still being set up; new wrappers (instant navigation, the
// calculator's result card) are found when the content changes.
const SCROLLER = ".md-typeset__scrollwrap";

function nameOf(wrap) {
  const caption = wrap.querySelector("caption");
  const text = caption ? caption.textContent.trim() : "";
  return text ? `Table: ${text} (scrolls sideways)` : "Table (scrolls sideways)";
}

function markScroller(wrap) {
  const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
  if (overflows && !wrap.hasAttribute("tabindex")) {
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", nameOf(wrap));
    wrap.dataset.b12Scroller = "";
  } else if (!overflows && "b12Scroller" in wrap.dataset) {
    wrap.removeAttribute("tabindex");
    wrap.removeAttribute("role");
    wrap.removeAttribute("aria-label");
    delete wrap.dataset.b12Scroller;
  }
}

const sizes = new ResizeObserver((entries) => {
  for (const entry of entries) markScroller(entry.target);
});
const watched = new Set();

function watchScrollers() {
  for (const wrap of watched) {
    if (!wrap.isConnected) { // replaced by instant navigation or a new result
      sizes.unobserve(wrap);
      watched.delete(wrap);
    }
  }
  for (const wrap of document.querySelectorAll(SCROLLER)) {
    if (!watched.has(wrap)) {
      watched.add(wrap);
      sizes.observe(wrap);
    }
  }
}

// The theme wraps tables while it starts, and the result card comes and goes: look for new wrappers
// once per frame at most.
let scrollerFrame = 0;
new MutationObserver(() => {
  if (!scrollerFrame) {
    scrollerFrame = requestAnimationFrame(() => {
      scrollerFrame = 0;
      watchScrollers();
    });
  }
}).observe(document.body, { childList: true, subtree: true });
watchScrollers();
