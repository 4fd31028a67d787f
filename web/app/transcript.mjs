// A transcript's cues (SubRip or WebVTT), listed with their times; the cue of the hit
// is marked and scrolled into view, and the query's words are highlighted.
import {el, fill, highlighted} from './dom.mjs';
import {formatTime} from './format.mjs';

// "00:12:34,500" or "12:34.500" -> seconds
function seconds(stamp) {
  const parts = stamp.trim().replace(',', '.').split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function clock(total) {
  const whole = Math.floor(total);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}`;
}

// The cues of an SRT or VTT file: [{start (seconds), text}].
export function parseCues(source) {
  const cues = [];
  for (const block of source.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing === -1) continue;
    const start = /([\d:.,]+)\s*-->/.exec(lines[timing]);
    if (!start) continue;
    // Voice and styling tags (<v Anna>, <i>) are dropped; the rest is shown as text.
    const text = lines.slice(timing + 1).join(' ').replace(/<[^>]*>/g, '').trim();
    if (text) cues.push({start: seconds(start[1]), text});
  }
  return cues;
}

// Lists `cues` in `container`; `time` ("HH:MM:SS") is the hit.
export function showCues(container, cues, {time = '', words = []} = {}) {
  const hit = time ? seconds(time) : -1;
  let hitIndex = -1;
  cues.forEach((cue, index) => {
    if (hit >= 0 && cue.start <= hit + 0.5) hitIndex = index;
  });
  const items = cues.map((cue, index) => el('li', {
    class: index === hitIndex ? 'cue cue-hit' : 'cue',
    'aria-current': index === hitIndex ? 'true' : null,
  },
  el('span', {class: 'cue-time'}, formatTime(clock(cue.start))),
  el('span', {class: 'cue-text'}, highlighted(cue.text, words))));
  const list = el('ol', {class: 'cues', tabindex: '0', 'aria-label': 'Battute della trascrizione'}, items);
  fill(container,
    hitIndex >= 0 ? el('p', {}, `La parte trovata inizia al minuto ${formatTime(time)} ed è evidenziata.`) : null,
    list);
  if (hitIndex >= 0) list.scrollTop = Math.max(0, items[hitIndex].offsetTop - list.offsetTop - 40);
}
