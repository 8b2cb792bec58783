// An accessible name for a mkdocs-material element that ships without one (axe-core: aria-dialog-name).
// The header's search is a dialog; it lives outside the page content, so instant navigation keeps it and
// labelling it once per visit is enough. A module loaded from mkdocs.yml: no inline script.
const search = document.querySelector(".md-search[role='dialog']");
if (search && !search.hasAttribute("aria-label")) {
  search.setAttribute("aria-label", "Search this site");
}
