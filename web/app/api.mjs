// The JSON API of correlare-searchd (docs/api.md), as the page uses it.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function getJson(url, {signal} = {}) {
  const response = await fetch(url, {signal, headers: {Accept: 'application/json'}});
  if (!response.ok) {
    let message = `errore ${response.status}`;
    try {
      message = (await response.json()).error?.message ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(response.status, message);
  }
  return response.json();
}

export async function getText(url, {signal} = {}) {
  const response = await fetch(url, {signal});
  if (!response.ok) throw new ApiError(response.status, `errore ${response.status}`);
  return response.text();
}

let taxonomy = null;

// /api/taxonomy, fetched once: labels of axes, provinces, types and languages by id.
export async function labels() {
  if (!taxonomy) {
    taxonomy = getJson('/api/taxonomy').then((json) => {
      const byId = (list) => new Map((list ?? []).map((item) => [item.id, item.label]));
      return {
        axis: byId(json.axes),
        province: byId(json.provinces),
        type: byId(json.types),
        lang: byId(json.languages),
      };
    });
  }
  return taxonomy;
}
