// The state of the search page, which lives in its URL (/?q=…&axis=lavoro&page=2): the
// same parameters as /api/search, so a link is shareable and Back and Forward work.

export const FACETS = ['axis', 'province', 'type', 'lang'];
export const SORTS = ['relevance', 'date_desc', 'date_asc'];
export const PER_PAGE = 10;

export function stateFromUrl(search = window.location.search) {
  const params = new URLSearchParams(search);
  const state = {q: (params.get('q') || '').trim(), page: 1, sort: 'relevance', filters: {},
    yearFrom: '', yearTo: ''};
  for (const facet of FACETS) {
    state.filters[facet] = [...new Set(params.getAll(facet).filter(Boolean))];
  }
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page >= 1) state.page = page;
  if (SORTS.includes(params.get('sort'))) state.sort = params.get('sort');
  const year = (name) => (/^\d{1,4}$/.test(params.get(name) || '') ? params.get(name) : '');
  state.yearFrom = year('year_from');
  state.yearTo = year('year_to');
  return state;
}

// The query string of `state`, without defaults: "q=lavoro&axis=lavoro".
export function queryString(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const facet of FACETS) {
    for (const value of state.filters[facet] ?? []) params.append(facet, value);
  }
  if (state.yearFrom) params.set('year_from', state.yearFrom);
  if (state.yearTo) params.set('year_to', state.yearTo);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params.toString();
}

export function hasFilters(state) {
  return FACETS.some((facet) => state.filters[facet].length) || !!state.yearFrom || !!state.yearTo;
}

export function isEmpty(state) {
  return !state.q && !hasFilters(state);
}

export function cloneState(state) {
  return {...state, filters: Object.fromEntries(FACETS.map((f) => [f, [...state.filters[f]]]))};
}
