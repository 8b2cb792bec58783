// The calculator's form state in the address: the URL fragment follows the form (one history entry,
// replaced, not one per keystroke), and a state fragment from a link, Back or Forward fills the form.
// The conversions themselves are share-link.js's; this module ties them to one mounted widget `w`
// (calculator.js: its form, its last result and the content version of the link it was opened from).

import { formToRequest, requestToForm } from "./form-state.js";
import { fragmentToState, isStateFragment, requestToFragment } from "./share-link.js";

function contentVersion(w) {
  return w.lastResult ? w.lastResult.calculator.content_version : w.app.dataset.contentVersion || "";
}

/** Keep the address in step with the form. */
export function writeFragment(w) {
  const fragment = requestToFragment(formToRequest(w.form), contentVersion(w));
  if (fragment === location.hash || (!fragment && !isStateFragment(location.hash))) return;
  const url = `${location.pathname}${location.search}${fragment}`;
  history.replaceState(history.state, "", url);
}

/** Fill the form from a state fragment; false when the hash is an ordinary anchor. */
export function readFragment(w) {
  const state = fragmentToState(location.hash, w.kinds);
  if (!state) return false;
  requestToForm(w.form, state.request);
  w.linkVersion = state.version || null;
  return true;
}

/** The address that reopens the form as it is now. */
export function shareUrl(w) {
  const fragment = requestToFragment(formToRequest(w.form), contentVersion(w));
  return `${location.origin}${location.pathname}${location.search}${fragment}`;
}

/** Back/forward, or a pasted link, within the page: the fragment wins (an ordinary anchor is ignored).
 * `onChange` runs after the form has been filled from it. Returns the function that stops listening. */
export function followAddress(w, onChange) {
  const onAddressChange = () => {
    if (!w.root.isConnected) return;
    const current = requestToFragment(formToRequest(w.form), contentVersion(w));
    if (isStateFragment(location.hash) && location.hash !== current && readFragment(w)) onChange();
  };
  window.addEventListener("hashchange", onAddressChange);
  window.addEventListener("popstate", onAddressChange);
  return () => {
    window.removeEventListener("hashchange", onAddressChange);
    window.removeEventListener("popstate", onAddressChange);
  };
}
