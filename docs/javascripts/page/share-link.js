// The form state in the URL fragment (never the query string: the fragment is not sent to the server),
// so a link or a reload reopens the same inputs. Compact and readable:
//   #v=2026.11.24&total_b12=150&causes=autoimmune_gastritis,vegan&neurological_symptoms=1
// `v` is the content version the link was made under; the other keys are request field names. A
// fragment without `v=` is an ordinary in-page anchor and is left alone.

const VERSION_KEY = "v";
const LIST_SEPARATOR = ",";

// Keep the fragment readable: "/" (units) and "," (lists, between encoded items) need no escaping there.
function encodeValue(text) {
  return encodeURIComponent(text).replace(/%2F/gi, "/");
}

/** "#v=...&field=value..." for a request (as formToRequest gives it); "" when the request is empty. */
export function requestToFragment(request, contentVersion) {
  const parts = [];
  for (const [name, value] of Object.entries(request)) {
    if (value === undefined || value === null || value === false || value === "") continue;
    let text;
    if (Array.isArray(value)) text = value.map(encodeValue).join(LIST_SEPARATOR);
    else if (value === true) text = "1";
    else text = encodeValue(String(value));
    parts.push(`${encodeURIComponent(name)}=${text}`);
  }
  if (!parts.length) return "";
  return `#${VERSION_KEY}=${encodeValue(contentVersion || "")}&${parts.join("&")}`;
}

/** Whether a location hash holds form state (rather than an in-page anchor). */
export function isStateFragment(hash) {
  return hash.startsWith(`#${VERSION_KEY}=`);
}

/**
 * The state a fragment describes: {version, request} with values shaped for requestToForm, using
 * `kinds` ({field: kind}, from the form) to read each value; unknown fields are ignored. null when the
 * hash is not a state fragment.
 */
export function fragmentToState(hash, kinds) {
  if (!isStateFragment(hash)) return null;
  let version = "";
  const request = {};
  for (const pair of hash.slice(1).split("&")) {
    const at = pair.indexOf("=");
    if (at < 1) continue;
    let name;
    let raw;
    try {
      name = decodeURIComponent(pair.slice(0, at));
      raw = pair.slice(at + 1);
      if (name === VERSION_KEY) {
        version = decodeURIComponent(raw);
        continue;
      }
    } catch {
      continue; // a mangled pair (bad %-escape) is dropped, not guessed
    }
    const kind = kinds[name];
    if (!kind) continue;
    try {
      if (kind === "causes") request[name] = raw.split(LIST_SEPARATOR).map(decodeURIComponent).filter(Boolean);
      else if (kind === "boolean") request[name] = raw === "1" || raw === "true";
      else request[name] = decodeURIComponent(raw);
    } catch {
      // as above
    }
  }
  return { version, request };
}
