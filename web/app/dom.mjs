// Building the page from data. Every string that comes from a document or from the
// user becomes a text node, never HTML: el() takes text children as text, and the
// only markup the API sends (<mark> in snippets) is rebuilt by markedText(), not parsed.

const SPRITES = '/static/vendor/bootstrap-italia/svg/sprites.svg';
const SVG = 'http://www.w3.org/2000/svg';

// el('a', {href: '/x', class: 'y'}, 'text', child, …): attributes are set one by one
// (an `on…` key adds a listener); null, undefined and false children are skipped.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the children of `node`.
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// A Bootstrap Italia icon from the sprite sheet, hidden from screen readers (the text
// beside it says the same).
export function icon(name, extraClass = '') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', `icon ${extraClass}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG, 'use');
  use.setAttribute('href', `${SPRITES}#${name}`);
  svg.append(use);
  return svg;
}

const ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'"};

// The text of HTML-escaped `escaped` (the API escapes &, <, >, " and ').
export function unescapeHtml(escaped) {
  return escaped.replace(/&(amp|lt|gt|quot|#39|apos|#(\d+)|#x([0-9a-f]+));/gi, (all, name, dec, hex) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

// A snippet of the API ("… <mark>permesso</mark> di …", escaped text whose only markup
// is <mark>) as nodes: the text between the tags is unescaped into text nodes and each
// marked part becomes a <mark> element. Any other tag-like text stays text.
export function markedText(snippet) {
  const nodes = [];
  const parts = String(snippet).split(/<mark>|<\/mark>/);
  // split() alternates outside/inside only when tags are balanced, as the API sends them.
  parts.forEach((part, index) => {
    if (!part) return;
    const text = unescapeHtml(part);
    nodes.push(index % 2 === 1 ? el('mark', {}, text) : document.createTextNode(text));
  });
  return nodes;
}

// The words of a query worth highlighting: no operators, field names or short words.
export function queryWords(query) {
  return String(query || '')
    .replace(/\b(titolo|autore|norma):/gi, ' ')
    .split(/[\s"()*]+/)
    .filter((word) => word && !word.startsWith('-') && word.length >= 3)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length >= 3);
}

function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// Ranges [start, end) of `text` where a word of `words` starts a word (accents and
// case ignored); prefixes count, so "permess" marks "permesso".
export function findWords(text, words) {
  if (!words.length) return [];
  // Folding changes lengths (a combining accent disappears, "ﬁ" becomes "fi"): fold
  // character by character and keep where each folded one came from.
  const map = [];
  let folded = '';
  for (let i = 0; i < text.length; i++) {
    const piece = fold(text[i]);
    for (let k = 0; k < piece.length; k++) map.push(i);
    folded += piece;
  }
  map.push(text.length);
  const ranges = [];
  for (const word of words.map(fold)) {
    let at = folded.indexOf(word);
    while (at !== -1) {
      const before = at === 0 ? '' : folded[at - 1];
      if (!/[\p{L}\p{N}]/u.test(before)) {
        ranges.push([map[at], map[at + word.length] ?? text.length]);
      }
      at = folded.indexOf(word, at + 1);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

// `text` as nodes with the words of `words` in <mark> elements.
export function highlighted(text, words) {
  const nodes = [];
  let at = 0;
  for (const [start, end] of findWords(text, words)) {
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(el('mark', {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}
