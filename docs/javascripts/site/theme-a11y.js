// An accessible name for a mkdocs-material element that ships without one (axe-core: aria-dialog-name).
// The header's search is a dialog; it lives outside the page content, so instant navigation keeps it and
// labelling it once per visit is enough. A module loaded from mkdocs.yml: no inline script.
const search = document.querySelector(".md-search[role='dialog']");
if (search && !search.hasAttribute("aria-label")) {
  search.setAttribute("aria-label", "Search this site");
}

// A table wider than the screen scrolls sideways inside mkdocs-material's .md-typeset__scrollwrap; a
// keyboard user can scroll it only if it takes focus (axe-core: scrollable-region-focusable). Wrappers
// that overflow become focusable, named regions; checked again when content or sizes change (instant
// navigation, the calculator's result card, rotating a phone).
const SCROLLER = ".md-typeset__scrollwrap";

function nameOf(wrap) {
  const caption = wrap.querySelector("caption");
  const text = caption ? caption.textContent.trim() : "";
  return text ? `Table: ${text} (scrolls sideways)` : "Table (scrolls sideways)";
}

function updateScrollers() {
  for (const wrap of document.querySelectorAll(SCROLLER)) {
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
}

let scrollerFrame = 0;
function scheduleScrollers() {
  if (!scrollerFrame) {
    scrollerFrame = requestAnimationFrame(() => {
      scrollerFrame = 0;
      updateScrollers();
    });
  }
}

new MutationObserver(scheduleScrollers).observe(document.body, { childList: true, subtree: true });
window.addEventListener("resize", scheduleScrollers, { passive: true });
scheduleScrollers();
