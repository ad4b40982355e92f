// fieldnode dashboard: DOM helpers. Outside text goes in through textContent only, never as HTML.

/** A new element with `text` as its text (never parsed as HTML) and class `cls`. */
export function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

/** Adds `line` as a text line to `box`, keeping the last `max`, scrolled to the end. */
export function append(box, line, max = 300) {
  box.append(el("div", line));
  while (box.childNodes.length > max) box.firstChild.remove();
  box.scrollTop = box.scrollHeight;
}
