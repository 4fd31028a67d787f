// The document page (/documenti/{id}?q=…&pagina=3&t=00:12:34): metadata, why it has
// each tag, the original (PDF pages or transcript cues) with the query highlighted, a
// preview of the extracted text, related documents and copies in other provinces.
import {ApiError, getJson, getText, labels} from './api.mjs';
import {el, fill, findWords, highlighted, icon, queryWords} from './dom.mjs';
import {fileKind, formatDate, formatSize, isTranscriptFile, sourceReason, zoneLabel}
  from './format.mjs';

const PREVIEW_CHARS = 2000;
const FULL_TEXT_CHARS = 300000;  // beyond this the page offers the download instead
const EVIDENCE_SHOWN = 6;

const id = window.location.pathname.split('/').pop();
const params = new URLSearchParams(window.location.search);
const query = params.get('q') || '';
const words = queryWords(query);
const hitPage = Number(params.get('pagina')) || 1;
const hitTime = /^\d{2}:\d{2}:\d{2}$/.test(params.get('t') || '') ? params.get('t') : '';

const status = document.getElementById('document-status');

function show(node, visible = true) {
  node.hidden = !visible;
  return node;
}

function term(label, ...value) {
  const shown = value.flat().filter((v) => v !== '' && v !== null && v !== undefined);
  return shown.length ? [el('dt', {}, label), el('dd', {}, shown)] : [];
}

function renderMetadata(doc) {
  const kind = fileKind(doc.mime);
  fill(document.getElementById('metadata'),
    term('Tipologia', doc.type?.label ?? ''),
    term('Data', formatDate(doc.date)),
    term('Autori', (doc.authors ?? []).join(', ')),
    term('Lingua', doc.lang_label || doc.lang || ''),
    term('Province', (doc.provinces ?? []).map((p) => p.label).join(', ')),
    term('Assi', (doc.axes ?? []).map((a) => a.label).join(', ')),
    term('Modulo', doc.module || ''),
    term('Norme citate', (doc.norms ?? []).map((n) => n.label).join('; ')),
    term('Formato', `${kind.label}, ${formatSize(doc.size)}`),
    doc.pages ? term('Pagine', String(doc.pages)) : [],
    term('Parte di', doc.parent ? el('a', {href: doc.parent.url}, doc.parent.member_path ? `archivio (${doc.parent.member_path})` : 'archivio') : ''),
    term('Inserito il', formatDate((doc.indexed_at || '').slice(0, 10))));
}

function evidenceList(evidence) {
  if (!evidence?.length) return null;
  const items = evidence.slice(0, EVIDENCE_SHOWN).map((e) => el('li', {},
    '«', e.matched, '» ', zoneLabel(e.zone),
    e.count > 1 ? ` (${e.count} volte)` : ''));
  if (evidence.length > EVIDENCE_SHOWN) items.push(el('li', {}, `e altri ${evidence.length - EVIDENCE_SHOWN} indizi`));
  return el('ul', {class: 'evidence'}, items);
}

function tagBlock(title, tag, extra = null) {
  return el('div', {class: 'tag-why'},
    el('h3', {class: 'h6'}, title, ': ', tag.label),
    el('p', {}, sourceReason(tag.source) || tag.reason || ''),
    extra,
    tag.evidence?.length ? el('p', {class: 'evidence-title'}, 'Parole trovate:') : null,
    evidenceList(tag.evidence));
}

function renderTags(doc) {
  const blocks = [];
  if (doc.type) blocks.push(tagBlock('Tipologia', doc.type));
  if (doc.province) blocks.push(tagBlock('Provincia', doc.province));
  for (const axis of doc.axes ?? []) {
    const subthemes = axis.subthemes?.length
      ? el('p', {}, 'Sottotemi: ', axis.subthemes.map((s) => s.label).join(', ')) : null;
    blocks.push(tagBlock('Asse', axis, subthemes));
  }
  fill(document.getElementById('tags'), blocks.length ? blocks : el('p', {}, 'Il documento non ha temi assegnati.'));
}

function documentList(listId, documents, empty, names) {
  const list = document.getElementById(listId);
  if (!documents?.length) {
    fill(list, el('li', {}, empty));
    return;
  }
  const link = (d) => (query ? `${d.url}?q=${encodeURIComponent(query)}` : d.url);
  fill(list, documents.map((d) => el('li', {},
    el('a', {href: link(d)}, d.title || 'Senza titolo'),
    el('span', {class: 'list-meta'}, ' — ', [names?.type.get(d.type) ?? d.type,
      ...(d.provinces ?? []).map((p) => names?.province.get(p) ?? p)].filter(Boolean).join(', ')))));
}

// The excerpt of `text` around the first match (or its start), with the words marked.
function renderPreview(text) {
  const preview = document.getElementById('preview');
  if (!text.trim()) {
    fill(preview, el('p', {}, 'Dal file non è stato estratto testo (per esempio un PDF scansionato).'));
    return;
  }
  const first = findWords(text, words)[0];
  let start = first ? Math.max(0, first[0] - PREVIEW_CHARS / 4) : 0;
  if (start > 0) start = Math.max(0, text.lastIndexOf('\n', start) + 1);
  const end = Math.min(text.length, start + PREVIEW_CHARS);
  // Focusable, so that a keyboard can scroll it.
  const body = el('div', {class: 'text-body', tabindex: '0', role: 'region', 'aria-label': 'Testo estratto'});
  const excerpt = () => [start > 0 ? '… ' : '', highlighted(text.slice(start, end), words), end < text.length ? ' …' : ''];
  fill(body, excerpt());
  const controls = [];
  if (start > 0 || end < text.length) {
    let whole = false;
    const toggle = el('button', {type: 'button', class: 'btn btn-outline-primary btn-sm', 'aria-expanded': 'false',
      onclick: () => {
        whole = !whole;
        const shown = text.length > FULL_TEXT_CHARS ? text.slice(0, FULL_TEXT_CHARS) : text;
        fill(body, whole ? [highlighted(shown, words), shown.length < text.length ? ' … (il resto è nel file scaricabile)' : ''] : excerpt());
        toggle.textContent = whole ? 'Mostra solo l’estratto' : 'Mostra tutto il testo';
        toggle.setAttribute('aria-expanded', String(whole));
      }}, 'Mostra tutto il testo');
    controls.push(el('p', {}, toggle));
  }
  fill(preview,
    words.length ? el('p', {class: 'small'}, first ? 'Le parole cercate sono evidenziate.' : 'Le parole cercate non compaiono nel testo estratto.') : null,
    body, controls);
}

async function renderViewer(doc) {
  const section = document.getElementById('viewer-section');
  const viewer = document.getElementById('viewer');
  const title = document.getElementById('viewer-title');
  if (doc.mime === 'application/pdf') {
    show(section);
    title.textContent = 'Il documento';
    fill(viewer, el('p', {}, 'Apertura del PDF…'));
    try {
      const {showPdf} = await import('./pdf-view.mjs');
      await showPdf(viewer, doc.download, {page: hitPage, words});
    } catch (error) {
      fill(viewer, el('p', {}, 'Non è stato possibile mostrare il PDF nella pagina: scaricalo per leggerlo.'));
      console.warn('PDF.js:', error);
    }
  } else if (isTranscriptFile(doc.mime)) {
    show(section);
    title.textContent = 'La trascrizione';
    try {
      const {parseCues, showCues} = await import('./transcript.mjs');
      showCues(viewer, parseCues(await getText(doc.download)), {time: hitTime, words});
    } catch (error) {
      fill(viewer, el('p', {}, 'Non è stato possibile mostrare la trascrizione: scaricala per leggerla.'));
    }
  }
}

async function main() {
  if (query) document.getElementById('back-to-search').href = `/?q=${encodeURIComponent(query)}`;
  let doc;
  try {
    doc = await getJson(`/api/documents/${encodeURIComponent(id)}`);
  } catch (error) {
    fill(status, error instanceof ApiError && error.status === 404
      ? 'Questo documento non è nell’archivio (forse è stato rimosso).'
      : `Il documento non si può mostrare ora: ${error.message}.`);
    return;
  }
  const title = doc.title || 'Senza titolo';
  document.title = `${title} – Correlare`;
  const kind = fileKind(doc.mime);
  fill(document.getElementById('document-kind'), icon(kind.icon, 'icon-primary'), ' ', doc.type?.label ?? '', ' · ', kind.label);
  fill(document.getElementById('document-title'), title);
  fill(document.getElementById('document-description'), doc.description || '');
  const download = document.getElementById('document-download');
  download.href = doc.download;
  fill(download, icon('it-download', 'icon-white'), ` Scarica il file originale (${kind.label}, ${formatSize(doc.size)})`);
  renderMetadata(doc);
  renderTags(doc);
  const names = await labels().catch(() => null);
  documentList('copies', doc.other_provinces, 'Nessuna copia in altre province.', names);
  documentList('related', doc.related, 'Nessun documento collegato.', names);
  fill(status);
  show(status, false);
  show(document.getElementById('document'));
  getText(doc.text).then(renderPreview, () => fill(document.getElementById('preview'),
    el('p', {}, 'Il testo estratto non si può mostrare ora.')));
  renderViewer(doc);
}

main();
