// How values of the API read in Italian: sizes, dates, hit positions, file kinds.

const MONTHS = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio',
  'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'];

// "2012-11-05" -> "5 novembre 2012"; "2012" -> "2012"; "" -> "".
export function formatDate(date) {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date || '');
  if (!match) return '';
  const [, year, month, day] = match;
  if (!month) return year;
  const name = MONTHS[Number(month) - 1] ?? '';
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

// 183422 -> "179 kB"
export function formatSize(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} byte`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${String(shown).replace('.', ',')} ${units[unit]}`;
}

// "00:12:34" -> "12:34"; "01:02:03" -> "1:02:03"
export function formatTime(time) {
  const match = /^(\d+):(\d{2}):(\d{2})/.exec(time || '');
  if (!match) return time || '';
  const hours = Number(match[1]);
  return hours ? `${hours}:${match[2]}:${match[3]}` : `${Number(match[2])}:${match[3]}`;
}

// Where the best match of a result is: "pagina 3", "al minuto 12:34", or "".
export function hitLabel(hit) {
  if (!hit) return '';
  if (hit.page) return `pagina ${hit.page}`;
  if (hit.time) return `al minuto ${formatTime(hit.time)}`;
  return '';
}

const KINDS = [
  [/pdf/, 'PDF', 'it-file-pdf'],
  [/wordprocessingml|msword/, 'Word', 'it-file-docx'],
  [/opendocument\.text/, 'ODT', 'it-file-odt'],
  [/spreadsheetml|ms-excel/, 'Excel', 'it-file-xlsx'],
  [/opendocument\.spreadsheet/, 'ODS', 'it-file-ods'],
  [/presentationml|powerpoint/, 'PowerPoint', 'it-file-ppt'],
  [/opendocument\.presentation/, 'ODP', 'it-file-odp'],
  [/subrip|vtt/, 'sottotitoli', 'it-file-video'],
  [/html/, 'HTML', 'it-file-xml'],
  [/zip|tar|gzip|compressed/, 'archivio', 'it-file-compressed'],
  [/^text\//, 'testo', 'it-file-txt'],
];

// The kind of a file for people ("PDF") and its icon in the sprite sheet.
export function fileKind(mime) {
  for (const [pattern, label, icon] of KINDS) {
    if (pattern.test(mime || '')) return {label, icon};
  }
  return {label: 'file', icon: 'it-file'};
}

export function isTranscriptFile(mime) {
  return /subrip|vtt/.test(mime || '');
}

// Why a tag was given, in Italian, from its `source` (docs/api.md).
export function sourceReason(source) {
  return {
    inbox: 'il file è arrivato nella cartella di questa provincia',
    metadata: 'lo indica la scheda dei metadati che accompagna il file',
    structure: 'lo dice la struttura del file',
    text: 'lo dicono le parole del testo',
    default: 'valore predefinito, in mancanza di indizi',
  }[source] ?? '';
}

export function zoneLabel(zone) {
  return {title: 'nel titolo', heading: 'nell’intestazione', text: 'nel testo'}[zone] ?? '';
}
