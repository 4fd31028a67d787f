// A PDF shown in the page with PDF.js: one page at a time, opened at the page of the
// hit, with the query's words highlighted in the text layer. PDF.js runs without eval
// (isEvalSupported: false) and its worker comes from the same origin, as the
// Content-Security-Policy requires.
import * as pdfjs from '/static/vendor/pdfjs/pdf.min.mjs';
import {el, fill, findWords, highlighted, icon} from './dom.mjs';

const VENDOR = '/static/vendor/pdfjs';
pdfjs.GlobalWorkerOptions.workerSrc = `${VENDOR}/pdf.worker.min.mjs`;

function loadTextLayerStyle() {
  if (document.getElementById('pdfjs-style')) return;
  document.head.append(el('link', {id: 'pdfjs-style', rel: 'stylesheet', href: `${VENDOR}/pdf_viewer.css`}));
}

// Shows the PDF at `url` in `container`, at page `page`, highlighting `words`.
export async function showPdf(container, url, {page = 1, words = []} = {}) {
  loadTextLayerStyle();
  const pdf = await pdfjs.getDocument({
    url,
    isEvalSupported: false,
    standardFontDataUrl: `${VENDOR}/standard_fonts/`,
    enableXfa: false,
  }).promise;
  const pages = pdf.numPages;
  let current = Math.min(Math.max(1, page), pages);
  let rendering = null;

  const label = el('span', {class: 'pdf-page-label', 'aria-live': 'polite'});
  const previous = el('button', {type: 'button', class: 'btn btn-outline-primary btn-sm',
    onclick: () => draw(current - 1)}, icon('it-chevron-left'), ' Pagina precedente');
  const next = el('button', {type: 'button', class: 'btn btn-outline-primary btn-sm',
    onclick: () => draw(current + 1)}, 'Pagina successiva ', icon('it-chevron-right'));
  const canvas = el('canvas', {class: 'pdf-canvas', 'aria-hidden': 'true'});
  const textLayer = el('div', {class: 'textLayer'});
  const sheet = el('div', {class: 'pdf-sheet'}, canvas, textLayer);
  fill(container,
    el('div', {class: 'pdf-toolbar'}, previous, label, next),
    sheet);

  async function draw(number) {
    if (number < 1 || number > pages) return;
    current = number;
    rendering?.cancel();
    const pdfPage = await pdf.getPage(number);
    const unscaled = pdfPage.getViewport({scale: 1});
    const scale = Math.min(2, Math.max(0.5, (container.clientWidth || 600) / unscaled.width));
    const viewport = pdfPage.getViewport({scale});
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    sheet.style.width = canvas.style.width;
    sheet.style.height = canvas.style.height;
    sheet.style.setProperty('--scale-factor', String(scale));
    sheet.style.setProperty('--total-scale-factor', String(scale));
    rendering = pdfPage.render({
      canvas,
      canvasContext: canvas.getContext('2d'),
      viewport,
      transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
    });
    try {
      await rendering.promise;
    } catch (error) {
      if (error?.name === 'RenderingCancelledException') return;
      throw error;
    }
    fill(textLayer);
    const layer = new pdfjs.TextLayer({textContentSource: pdfPage.streamTextContent(),
      container: textLayer, viewport});
    await layer.render();
    let found = 0;
    for (const div of layer.textDivs) {
      const text = div.textContent;
      if (findWords(text, words).length) {
        fill(div, highlighted(text, words));
        found++;
      }
    }
    label.textContent = `Pagina ${current} di ${pages}` +
      (words.length ? ` — ${found ? 'parole cercate evidenziate' : 'parole cercate non presenti in questa pagina'}` : '');
    previous.disabled = current <= 1;
    next.disabled = current >= pages;
  }

  await draw(current);
  return {pages};
}
