// Building the page from data: text goes in with textContent and append, never innerHTML, so nothing a
// report or an inquiry says can run.
export const $ = (id) => document.getElementById(id);

/**
 * An element with its properties and children; a null, undefined or false child is left out (a part that does not apply),
 * and a list of children is taken as its items (a part of a sentence).
 */
export const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children.flat()) if (c != null && c !== false) e.append(c);
  return e;
};

/** A name or free text as people wrote it: its own direction, so Arabic and Latin both read right on either page. */
export const named = (text, tag = "span") => el(tag, { textContent: text ?? "", dir: "auto" });

/** The same inside a sentence: Unicode's first-strong isolate, the text form of dir="auto". */
export const isolated = (text) => `\u2068${text}\u2069`;
