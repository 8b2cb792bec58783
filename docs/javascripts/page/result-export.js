// Taking the result off the page: the clipboard, a downloaded file, printing. The texts themselves come
// from the engine (calc renders notes, calendar and patient sheet); nothing clinical is written here.

/** Copy plain text; resolves true when it reached the clipboard. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied or unavailable (an older browser, a non-focused document): try the old way below.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "-1000px";
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/** Offer `text` as a download named `filename`. */
export function downloadText({ text, filename, media_type: mediaType }) {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType || "text/plain" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
