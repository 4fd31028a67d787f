// Search-as-you-type: the search box as an ARIA 1.2 combobox over /api/suggest. Arrow
// keys move through the suggestions, Enter takes one, Escape closes the list; the box
// keeps the focus throughout (aria-activedescendant).
import {getJson} from './api.mjs';
import {el, fill} from './dom.mjs';

const DELAY_MS = 150;

// `input` is the search box, `list` an empty <ul> beside it; `choose(text)` runs when a
// suggestion is taken.
export function attachSuggestions(input, list, choose) {
  let timer = 0;
  let controller = null;
  let items = [];
  let active = -1;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Suggerimenti');

  function close() {
    items = [];
    active = -1;
    fill(list);
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function show(suggestions) {
    items = suggestions;
    active = -1;
    fill(list, suggestions.map((text, index) => el('li', {
      id: `${list.id}-${index}`, role: 'option', 'aria-selected': 'false', class: 'suggestion',
      // mousedown, not click: the box must not lose the focus first.
      onmousedown: (event) => {
        event.preventDefault();
        take(index);
      },
    }, text)));
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
      option.classList.toggle('active', i === index);
    });
    if (index >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${index}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function take(index) {
    const text = items[index];
    close();
    choose(text);
  }

  // The word being typed is completed; the words before it stay.
  function completing() {
    const value = input.value;
    const start = value.search(/\S*$/);
    return {head: value.slice(0, start), word: value.slice(start)};
  }

  async function update() {
    const {head, word} = completing();
    controller?.abort();
    if (word.length < 2 || /["():*-]/.test(word)) {
      close();
      return;
    }
    controller = new AbortController();
    try {
      const json = await getJson(`/api/suggest?q=${encodeURIComponent(word)}`,
        {signal: controller.signal});
      if (document.activeElement !== input) return;
      const words = (json.suggestions ?? []).filter((s) => s.toLowerCase() !== word.toLowerCase());
      show(words.slice(0, 8).map((s) => head + s));
    } catch (error) {
      if (error.name !== 'AbortError') close();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      take(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
  return {close};
}
