// The search page (/): search box with suggestions, facets, active filters as chips,
// sorting, results and pagination, all driven by the state in the URL.
import {getJson, labels} from './api.mjs';
import {el, fill, icon, markedText} from './dom.mjs';
import {fileKind, formatDate, formatSize, hitLabel} from './format.mjs';
import {FACETS, PER_PAGE, cloneState, hasFilters, isEmpty, queryString, stateFromUrl}
  from './search-state.mjs';
import {attachSuggestions} from './suggest.mjs';

const FACET_TITLES = {axis: 'Asse', province: 'Provincia', type: 'Tipologia', lang: 'Lingua',
  year: 'Anno'};
const FACETS_SHOWN = 8;  // values shown before "Mostra tutti"

const form = document.getElementById('search-form');
const input = document.getElementById('q');
const status = document.getElementById('results-status');
const correction = document.getElementById('correction');
const chips = document.getElementById('active-filters');
const sort = document.getElementById('sort');
const results = document.getElementById('results');
const pagination = document.getElementById('pagination');
const facets = document.getElementById('facets');
const expanded = new Set();  // facets whose every value is shown

let state = stateFromUrl();
let controller = null;

// Moves to `next`: a new history entry, then the results.
function go(next, {focusResults = false} = {}) {
  state = next;
  const query = queryString(state);
  history.pushState(null, '', query ? `/?${query}` : '/');
  render({focusResults});
}

function withChange(change) {
  const next = cloneState(state);
  change(next);
  return next;
}

async function render({focusResults = false} = {}) {
  input.value = state.q;
  sort.value = state.sort;
  document.title = state.q ? `${state.q} – Ricerca – Correlare` : 'Ricerca – Correlare';
  controller?.abort();
  controller = new AbortController();
  const params = queryString(state);
  results.setAttribute('aria-busy', 'true');
  let json;
  try {
    json = await getJson(`/api/search?${params}${params ? '&' : ''}per_page=${PER_PAGE}`,
      {signal: controller.signal});
  } catch (error) {
    if (error.name === 'AbortError') return;
    results.removeAttribute('aria-busy');
    fill(status, `La ricerca non è riuscita: ${error.message}. Riprova tra poco.`);
    fill(results);
    fill(pagination);
    return;
  }
  const names = await labels().catch(() => null);
  results.removeAttribute('aria-busy');
  renderStatus(json);
  renderCorrection(json);
  renderChips(names);
  renderResults(json, names);
  renderPagination(json);
  renderFacets(json);
  if (focusResults) document.getElementById('results-title').focus();
}

function renderStatus(json) {
  const shown = json.corrected?.applied ? json.corrected.query : state.q;
  let text;
  if (json.total === 0) text = 'Nessun documento trovato';
  else if (json.total === 1) text = '1 documento trovato';
  else text = `${json.total.toLocaleString('it-IT')} documenti trovati`;
  if (shown) text += ` per «${shown}»`;
  if (json.total > PER_PAGE) {
    const pages = Math.ceil(json.total / PER_PAGE);
    text += ` — pagina ${json.page} di ${pages}`;
  }
  fill(status, text);
}

function searchLink(query, label) {
  const target = withChange((next) => {
    next.q = query;
    next.page = 1;
  });
  return el('a', {href: `/?${queryString(target)}`, onclick: (event) => {
    event.preventDefault();
    go(target);
  }}, label);
}

function renderCorrection(json) {
  const corrected = json.corrected;
  if (!corrected) {
    fill(correction);
    correction.hidden = true;
    return;
  }
  correction.hidden = false;
  if (corrected.applied) {
    fill(correction, `Nessun risultato per «${state.q}»: ecco i risultati per «`,
      el('strong', {}, corrected.query), '».');
  } else {
    fill(correction, 'Forse cercavi ', searchLink(corrected.query, `«${corrected.query}»`), '?');
  }
}

function labelOf(names, facet, value) {
  return names?.[facet]?.get(value) ?? value;
}

function renderChips(names) {
  const items = [];
  const chip = (text, remove) => el('li', {},
    el('span', {class: 'chip chip-simple chip-primary'},
      el('span', {class: 'chip-label'}, text),
      el('button', {type: 'button', onclick: () => go(withChange(remove), {focusResults: true})},
        icon('it-close'), el('span', {class: 'visually-hidden'}, `Togli il filtro ${text}`))));
  for (const facet of FACETS) {
    for (const value of state.filters[facet]) {
      items.push(chip(`${FACET_TITLES[facet]}: ${labelOf(names, facet, value)}`, (next) => {
        next.filters[facet] = next.filters[facet].filter((v) => v !== value);
        next.page = 1;
      }));
    }
  }
  if (state.yearFrom || state.yearTo) {
    const range = state.yearFrom === state.yearTo ? state.yearFrom
      : `${state.yearFrom || '…'}–${state.yearTo || '…'}`;
    items.push(chip(`Anno: ${range}`, (next) => {
      next.yearFrom = '';
      next.yearTo = '';
      next.page = 1;
    }));
  }
  if (items.length > 1) {
    items.push(el('li', {}, el('button', {type: 'button', class: 'btn btn-link btn-sm',
      onclick: () => go(withChange(clearFilters))}, 'Togli tutti i filtri')));
  }
  fill(chips, items);
  chips.hidden = items.length === 0;
}

function clearFilters(next) {
  for (const facet of FACETS) next.filters[facet] = [];
  next.yearFrom = '';
  next.yearTo = '';
  next.page = 1;
}

// The document page of a result, carrying the query and where the hit is.
function documentHref(result) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (result.hit?.page) params.set('pagina', String(result.hit.page));
  if (result.hit?.time) params.set('t', result.hit.time);
  const query = params.toString();
  return query ? `${result.url}?${query}` : result.url;
}

function renderResults(json, names) {
  if (json.results.length === 0) {
    fill(results, json.total === 0 ? emptyAdvice() : el('li', {}, 'Non ci sono altri risultati.'));
    return;
  }
  fill(results, json.results.map((result) => {
    const kind = fileKind(result.mime);
    const where = hitLabel(result.hit);
    const meta = [
      result.date && el('span', {}, icon('it-calendar'), ' ', formatDate(result.date)),
      result.lang && el('span', {}, el('span', {class: 'visually-hidden'}, 'Lingua: '),
        labelOf(names, 'lang', result.lang)),
      where && el('span', {class: 'hit'}, icon(result.hit.time ? 'it-clock' : 'it-file'), ' ',
        where),
    ].filter(Boolean);
    return el('li', {class: 'result'},
      el('div', {class: 'result-kind'}, icon(kind.icon, 'icon-primary')),
      el('div', {class: 'result-body'},
        el('p', {class: 'result-type'}, labelOf(names, 'type', result.type), ' · ', kind.label),
        el('h3', {class: 'result-title'}, el('a', {href: documentHref(result)}, result.title || 'Senza titolo')),
        result.snippet && el('p', {class: 'snippet'}, markedText(result.snippet)),
        el('ul', {class: 'tags', 'aria-label': 'Assi e province'},
          result.axes.map((axis) => el('li', {class: 'chip chip-simple chip-axis'},
            el('span', {class: 'chip-label'}, labelOf(names, 'axis', axis)))),
          result.provinces.map((province) => el('li', {class: 'chip chip-simple chip-province'},
            icon('it-map-marker'), el('span', {class: 'chip-label'}, labelOf(names, 'province', province))))),
        el('p', {class: 'result-meta'}, meta.flatMap((item, i) => (i ? [' · ', item] : [item]))),
        el('p', {class: 'result-download'},
          el('a', {href: result.download, download: ''}, icon('it-download'),
            ` Scarica (${kind.label}, ${formatSize(result.size)})`,
            el('span', {class: 'visually-hidden'}, `: ${result.title}`)))));
  }));
}

function emptyAdvice() {
  const tips = [
    'controlla come hai scritto le parole;',
    'usa meno parole, o parole più generali (per esempio «permesso» invece di «rinnovo del permesso di soggiorno per lavoro»);',
    'cerca un sinonimo o la sigla (per esempio «pds» per «permesso di soggiorno»);',
  ];
  const items = tips.map((tip) => el('li', {}, tip));
  if (hasFilters(state)) {
    items.push(el('li', {}, el('button', {type: 'button', class: 'btn btn-link p-0 align-baseline',
      onclick: () => go(withChange(clearFilters))}, 'togli i filtri'),
      ' e cerca in tutto l’archivio.'));
  }
  return el('li', {class: 'empty-advice'},
    el('p', {}, 'Nessun documento corrisponde alla ricerca. Prova così:'),
    el('ul', {}, items));
}

function renderPagination(json) {
  const pages = Math.ceil(json.total / PER_PAGE);
  if (pages <= 1) {
    fill(pagination);
    return;
  }
  const page = Math.min(json.page, pages);
  const link = (number, content, label, current = false) => {
    const target = withChange((next) => {
      next.page = number;
    });
    return el('li', {class: 'page-item'}, el('a', {
      class: 'page-link', href: `/?${queryString(target)}`, 'aria-label': label,
      'aria-current': current ? 'page' : null,
      onclick: (event) => {
        event.preventDefault();
        go(target, {focusResults: true});
      }}, content));
  };
  const numbers = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const items = [];
  if (page > 1) items.push(link(page - 1, icon('it-chevron-left', 'icon-primary'), 'Pagina precedente'));
  let last = 0;
  for (const number of [...numbers].sort((a, b) => a - b)) {
    if (number > last + 1) items.push(el('li', {class: 'page-item'}, el('span', {class: 'page-link'}, '…')));
    items.push(link(number, String(number), `Pagina ${number}`, number === page));
    last = number;
  }
  if (page < pages) items.push(link(page + 1, icon('it-chevron-right', 'icon-primary'), 'Pagina successiva'));
  fill(pagination, el('ul', {class: 'pagination'}, items));
}

function renderFacets(json) {
  // The panels are rebuilt: a checkbox ticked from the keyboard keeps the focus.
  const focused = facets.contains(document.activeElement) ? document.activeElement.id : '';
  const panels = [];
  for (const facet of [...FACETS, 'year']) {
    const values = [...(json.facets?.[facet] ?? [])];
    const selected = facet === 'year' ? yearsSelected(values) : state.filters[facet];
    // A selected value the counts no longer list stays visible, to be unticked.
    for (const value of selected) {
      if (!values.some((v) => v.value === value)) values.push({value, label: value, count: 0});
    }
    if (facet === 'year') values.sort((a, b) => b.value.localeCompare(a.value));
    if (values.length === 0) continue;
    const all = expanded.has(facet) || values.length <= FACETS_SHOWN + 1;
    const shown = all ? values : values.slice(0, FACETS_SHOWN);
    const id = `facet-${facet}`;
    panels.push(el('fieldset', {class: 'facet', id},
      el('legend', {}, FACET_TITLES[facet]),
      shown.map((value) => {
        const boxId = `${id}-${value.value}`;
        const checked = selected.includes(value.value);
        return el('div', {class: 'form-check'},
          el('input', {type: 'checkbox', id: boxId, value: value.value, checked,
            onchange: (event) => toggle(facet, value.value, event.target.checked)}),
          el('label', {for: boxId},
            el('span', {class: 'facet-label'}, value.label),
            el('span', {class: 'badge facet-count'}, String(value.count),
              el('span', {class: 'visually-hidden'}, value.count === 1 ? ' documento' : ' documenti'))));
      }),
      all ? null : el('button', {type: 'button', class: 'btn btn-link btn-sm p-0',
        onclick: () => {
          expanded.add(facet);
          renderFacets(json);
          document.getElementById(`${id}-${values[FACETS_SHOWN].value}`)?.focus();
        }}, `Mostra tutti (${values.length})`)));
  }
  fill(facets, panels);
  if (focused) document.getElementById(focused)?.focus();
}

// The years a year_from–year_to range covers, among those the counts list.
function yearsSelected(values) {
  if (!state.yearFrom && !state.yearTo) return [];
  const from = state.yearFrom ? Number(state.yearFrom) : -Infinity;
  const to = state.yearTo ? Number(state.yearTo) : Infinity;
  const years = values.map((v) => v.value).filter((y) => Number(y) >= from && Number(y) <= to);
  for (const bound of [state.yearFrom, state.yearTo]) {
    if (bound && !years.includes(bound)) years.push(bound);
  }
  return years;
}

// Ticking a year widens the range to it; unticking one narrows the range to the years
// before it (or after it, at the start of the range). The API filters by a range only.
function toggle(facet, value, checked) {
  go(withChange((next) => {
    next.page = 1;
    if (facet !== 'year') {
      next.filters[facet] = checked ? [...next.filters[facet], value]
        : next.filters[facet].filter((v) => v !== value);
      return;
    }
    const year = Number(value);
    const from = next.yearFrom ? Number(next.yearFrom) : null;
    const to = next.yearTo ? Number(next.yearTo) : null;
    if (checked) {
      next.yearFrom = String(from === null ? year : Math.min(from, year));
      next.yearTo = String(to === null ? year : Math.max(to, year));
    } else if (from !== null && year <= from) {
      next.yearFrom = to !== null && year + 1 <= to ? String(year + 1) : '';
      if (!next.yearFrom) next.yearTo = '';
    } else {
      next.yearTo = from !== null && year - 1 >= from ? String(year - 1) : '';
      if (!next.yearTo) next.yearFrom = '';
    }
  }));
}

const suggestions = attachSuggestions(input, document.getElementById('q-suggestions'), (text) => {
  input.value = text;
  form.requestSubmit();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  suggestions.close();
  go(withChange((next) => {
    next.q = input.value.trim();
    next.page = 1;
  }));
});

sort.addEventListener('change', () => go(withChange((next) => {
  next.sort = sort.value;
  next.page = 1;
})));

window.addEventListener('popstate', () => {
  state = stateFromUrl();
  render();
});

if (isEmpty(state)) input.focus();
render();
