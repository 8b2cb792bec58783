// The one date the engine cannot know: the day the page is printed. Every other date, unit and label
// comes with the engine's result (calc/vocabulary.py), written as this is ("3 Dec 2026").

/** Today's date where the reader is, as printed ("3 Dec 2026"). */
export function todayText() {
  return new Date().toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}
