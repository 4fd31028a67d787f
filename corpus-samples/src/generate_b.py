#!/usr/bin/python3
"""Generate corpus B of corpus-samples/ (strumenti, bundle, hostile) from corpus-samples/src/b/.

Run with Debian's Python (not the pyenv one on PATH):

    /usr/bin/python3 corpus-samples/src/generate_b.py

Needs the Debian packages python3-reportlab and python3-docx; everything else is stdlib.
The output is deterministic: fixed dates in documents and archive members, fixed seeds,
fixed member order, so running twice gives byte-identical files.

What is generated here (the transcripts in trascrizioni/ are hand-written UTF-8 sources
and are not touched):
  strumenti/opuscolo-ssn-*.{html,txt,docx}   from src/b/opuscolo-ssn/<lang>.txt
  strumenti/glossario-immigrazione.html       from src/b/glossario-immigrazione.txt
  strumenti/modulo-richiesta-mediazione.docx  from the data in this script
  strumenti/<charset files>                    from src/b/charset/*.txt (UTF-8 sources)
  bundle/kit-accoglienza.zip                   from src/b/kit-accoglienza/
  bundle/materiali-modulo-2.tar.gz             from src/b/materiali-modulo-2/
  hostile/*                                    from the data in this script
The 50 MiB single-line file is NOT generated here: see hostile/make-large-line.py.
"""
import calendar
import gzip
import hashlib
import html
import io
import os
import struct
import sys
import tarfile
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import reportlab.rl_config

reportlab.rl_config.invariant = 1  # must precede the other reportlab imports (pdfencrypt reads it)

from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.lib import pdfencrypt  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import (ListFlowable, ListItem, PageBreak, Paragraph,  # noqa: E402
                                SimpleDocTemplate, Spacer)

import docx  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.shared import Pt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent          # corpus-samples/
SRC = ROOT / "src" / "b"
STRUMENTI = ROOT / "strumenti"
BUNDLE = ROOT / "bundle"
HOSTILE = ROOT / "hostile"

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))


# --------------------------------------------------------------------------- helpers

def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"  {path.relative_to(ROOT)}  ({len(data)} bytes)")


def epoch(y, m, d, hh=9, mm=0):
    return calendar.timegm((y, m, d, hh, mm, 0, 0, 0, 0))


def set_pdf_date(y, m, d):
    """reportlab's TimeStamp honours SOURCE_DATE_EPOCH: CreationDate/ModDate become this date."""
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch(y, m, d))


def zinfo(name, date=(2019, 3, 1, 9, 0, 0), method=zipfile.ZIP_DEFLATED, mode=0o100644):
    zi = zipfile.ZipInfo(name, date_time=date)
    zi.compress_type = method
    zi.create_system = 3
    zi.external_attr = mode << 16
    return zi


def zip_bytes(members, date=(2019, 3, 1, 9, 0, 0)):
    """members: list of (name, bytes). Deterministic ZIP in memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(zinfo(name, date), data, compresslevel=9)
    return buf.getvalue()


def normalize_zip(data: bytes, date) -> bytes:
    """Rewrite an OOXML package (python-docx output) with fixed member timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(zinfo(info.filename, date), src.read(info.filename), compresslevel=9)
    return out.getvalue()


def prng_bytes(seed: str, n: int) -> bytes:
    """Deterministic pseudo-random bytes (SHA-256 in counter mode), independent of Python version."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


def docx_set_core(doc, title, author, subject, keywords, created: datetime, lang):
    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.subject = subject
    cp.keywords = keywords
    cp.comments = ""
    cp.category = ""
    cp.last_modified_by = author
    cp.revision = 1
    cp.created = created
    cp.modified = created
    cp.language = lang


def save_docx(doc, path: Path, date):
    buf = io.BytesIO()
    doc.save(buf)
    write_bytes(path, normalize_zip(buf.getvalue(), date))


# --------------------------------------------------------------------------- leaflet (7+1 languages)

LEAFLET_LANGS = {
    # lang: (format, html lang attribute, dir, nav labels, footer)
    "it": ("html", "it", "ltr", ["Home", "Servizi", "Salute", "Contatti"],
           "© 2020 Regione Lombardia &ndash; Direzione Generale Welfare. Testo a cura della rete degli sportelli stranieri."),
    "en": ("txt", None, None, None, "© 2020 Regione Lombardia – Direzione Generale Welfare."),
    "fr": ("html", "fr", "ltr", ["Accueil", "Services", "Santé", "Contacts"],
           "© 2020 Regione Lombardia &ndash; Direction générale Welfare."),
    "ar": ("html", "ar", "rtl", ["الصفحة الرئيسية", "الخدمات", "الصحة", "اتصل بنا"],
           "© 2020 Regione Lombardia &ndash; المديرية العامة للرعاية الاجتماعية."),
    "zh": ("html", "zh-CN", "ltr", ["首页", "服务", "健康", "联系我们"],
           "© 2020 Regione Lombardia &ndash; 社会福利总局。"),
    "ro": ("docx", None, None, None, "© 2020 Regione Lombardia – Direcția Generală Welfare."),
    "sq": ("txt", None, None, None, "© 2020 Regione Lombardia – Drejtoria e Përgjithshme e Mirëqenies."),
    "es": ("txt", None, None, None, "© 2020 Regione Lombardia – Dirección General de Bienestar."),
}

LANG_SWITCH = [("it", "Italiano"), ("en", "English"), ("fr", "Français"), ("ar", "العربية"),
               ("zh", "中文"), ("ro", "Română"), ("sq", "Shqip"), ("es", "Español")]

# Strings that exist only inside <script>, <style> or an HTML comment: an extractor must NOT output them.
SCRIPT_ONLY = "TESTO_SOLO_NELLO_SCRIPT_QXZ4471"
STYLE_ONLY = "COMMENTO_CSS_ZQ88"
COMMENT_ONLY = "COMMENTO_HTML_KW55"


def parse_structured(path: Path):
    """Title line, description line, then '## heading', '- item', or paragraph lines."""
    lines = [l.rstrip("\n") for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    title, desc = lines[0], lines[1]
    blocks = []  # ('h', text) | ('p', text) | ('ul', [items])
    for line in lines[2:]:
        if line.startswith("## "):
            blocks.append(("h", line[3:]))
        elif line.startswith("- "):
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(line[2:])
            else:
                blocks.append(("ul", [line[2:]]))
        else:
            blocks.append(("p", line))
    return title, desc, blocks


def leaflet_html(lang, title, desc, blocks):
    _, hlang, direction, nav, footer = LEAFLET_LANGS[lang]
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    body = []
    for kind, val in blocks:
        if kind == "h":
            body.append(f"<h2>{e(val)}</h2>")
        elif kind == "p":
            body.append(f"<p>{e(val)}</p>")
        else:
            body.append("<ul>\n" + "\n".join(f"  <li>{e(i)}</li>" for i in val) + "\n</ul>")
    body_html = "\n".join(body)
    if lang == "it":
        # a few character references, as hand-written Italian pages often have
        body_html = (body_html.replace("è obbligatoria", "&egrave; obbligatoria")
                     .replace("dell'ASST", "dell&#8217;ASST")
                     .replace("fino a 14 anni", "fino a 14&nbsp;anni"))
    nav_html = "\n".join(f'    <li><a href="/{i}">{e(lbl)}</a></li>' for i, lbl in enumerate(nav))
    switch = " | ".join(f'<a href="opuscolo-ssn-{c}.{LEAFLET_LANGS[c][0]}" hreflang="{c}">{e(n)}</a>'
                        for c, n in LANG_SWITCH)
    return f"""<!DOCTYPE html>
<html lang="{hlang}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="description" content="{html.escape(desc, quote=True)}">
<meta name="author" content="Regione Lombardia – DG Welfare">
<style>
/* {STYLE_ONLY}: foglio di stile dell'opuscolo */
body {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; max-width: 42em; margin: 0 auto; line-height: 1.5; }}
nav ul {{ list-style: none; display: flex; gap: 1em; padding: 0; }}
h1 {{ color: #005a2b; }}
.lingue {{ font-size: 0.85em; }}
</style>
<script>
  // {SCRIPT_ONLY}
  window.dataLayer = window.dataLayer || [];
  function traccia(evento) {{ window.dataLayer.push({{"evento": evento, "pagina": "opuscolo-ssn-{lang}"}}); }}
  var messaggioNascosto = "{SCRIPT_ONLY} non deve comparire nel testo estratto";
</script>
</head>
<body>
<!-- {COMMENT_ONLY}: commento redazionale, non visibile -->
<header>
  <nav aria-label="menu">
  <ul>
{nav_html}
  </ul>
  </nav>
  <p class="lingue">{switch}</p>
</header>
<main>
<h1>{e(title)}</h1>
<p class="sommario">{e(desc)}</p>
{body_html}
</main>
<footer><p>{footer}</p></footer>
<script>document.querySelectorAll("a").forEach(function (a) {{ a.addEventListener("click", function () {{ traccia("{SCRIPT_ONLY}"); }}); }});</script>
</body>
</html>
"""


def leaflet_txt(lang, title, desc, blocks):
    out = [title, "=" * len(title), "", desc, ""]
    for kind, val in blocks:
        if kind == "h":
            out += ["", val, "-" * len(val)]
        elif kind == "p":
            out += [val]
        else:
            out += [f"  * {i}" for i in val]
    out += ["", LEAFLET_LANGS[lang][4], ""]
    return "\n".join(out)


def leaflet_docx(lang, title, desc, blocks, path):
    doc = docx.Document()
    doc.add_heading(title, level=0)
    p = doc.add_paragraph(desc)
    p.runs[0].italic = True
    for kind, val in blocks:
        if kind == "h":
            doc.add_heading(val, level=1)
        elif kind == "p":
            doc.add_paragraph(val)
        else:
            for item in val:
                doc.add_paragraph(item, style="List Bullet")
    doc.add_paragraph(LEAFLET_LANGS[lang][4])
    docx_set_core(doc, title, "Regione Lombardia – DG Welfare", "Servizio Sanitario Nazionale",
                  "SSN, ASST, înscriere, sănătate, străini", datetime(2020, 6, 15, 9, 0), "ro-RO")
    save_docx(doc, path, (2020, 6, 15, 9, 0, 0))


def gen_leaflets():
    for lang, (fmt, *_rest) in LEAFLET_LANGS.items():
        title, desc, blocks = parse_structured(SRC / "opuscolo-ssn" / f"{lang}.txt")
        out = STRUMENTI / f"opuscolo-ssn-{lang}.{fmt}"
        if fmt == "html":
            write_bytes(out, leaflet_html(lang, title, desc, blocks).encode("utf-8"))
        elif fmt == "txt":
            write_bytes(out, leaflet_txt(lang, title, desc, blocks).encode("utf-8"))
        else:
            leaflet_docx(lang, title, desc, blocks, out)


# --------------------------------------------------------------------------- glossary

def gen_glossary():
    lines = (SRC / "glossario-immigrazione.txt").read_text(encoding="utf-8").splitlines()
    header = [l[2:] for l in lines if l.startswith("# ")]
    title, desc = header[0], header[1]
    entries = [l.split(" | ", 1) for l in lines if l.strip() and not l.startswith("#")]
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    dl = "\n".join(f'  <dt id="voce-{i + 1}">{e(t)}</dt>\n  <dd>{e(d)}</dd>' for i, (t, d) in enumerate(entries))
    index = " · ".join(f'<a href="#voce-{i + 1}">{e(t)}</a>' for i, (t, _) in enumerate(entries))
    page = f"""<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>Glossario dell'immigrazione – Strumenti per gli operatori</title>
<meta name="description" content="{html.escape(desc, quote=True)}">
<style>/* {STYLE_ONLY} */ dt {{ font-weight: bold; margin-top: 1em; }} dd {{ margin-left: 1.5em; }}</style>
<script>var cercaVoce = function (q) {{ return "{SCRIPT_ONLY}" + q; }};</script>
</head>
<body>
<nav><a href="/">Home</a> &gt; <a href="/strumenti">Strumenti</a> &gt; Glossario</nav>
<h1>{e(title)}</h1>
<p>{e(desc)}</p>
<p class="indice">{index}</p>
<dl>
{dl}
</dl>
<p><small>Ultimo aggiornamento: 3 novembre 2021. Le definizioni hanno valore divulgativo e non sostituiscono il testo delle norme.</small></p>
</body>
</html>
"""
    write_bytes(STRUMENTI / "glossario-immigrazione.html", page.encode("utf-8"))


# --------------------------------------------------------------------------- form DOCX

def gen_form():
    doc = docx.Document()
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = "Comune di Lecco – Settore Politiche Sociali – Ufficio Intercultura"
    sec.footer.paragraphs[0].text = "Mod. MLC-01 – revisione settembre 2019"
    t = doc.add_heading("Modulo di richiesta di mediazione linguistico-culturale", level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "Da compilare a cura del servizio richiedente (servizi sociali, scuole, consultori, "
        "ASST di Lecco, sportelli comunali) e da inviare all'Ufficio Intercultura tramite il "
        "protocollo interno almeno cinque giorni lavorativi prima dell'intervento. Per le urgenze "
        "il termine è ridotto a 72 ore.")

    def fields(rows):
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = value
        doc.add_paragraph()

    def checks(items):
        for item in items:
            doc.add_paragraph("☐ " + item)

    doc.add_heading("1. Servizio richiedente", level=1)
    fields([("Ente / servizio", ""), ("Operatore di riferimento", ""), ("Telefono", ""),
            ("Indirizzo di posta elettronica", "")])
    doc.add_heading("2. Persona o famiglia destinataria", level=1)
    doc.add_paragraph("Indicare solo le iniziali: i dati completi saranno comunicati al mediatore al momento dell'incontro.")
    fields([("Iniziali", ""), ("Paese di provenienza", ""), ("Lingua richiesta", ""),
            ("Altre lingue conosciute", ""), ("Numero di persone presenti", "")])
    doc.add_paragraph("Genere del mediatore preferito:   ☐ donna   ☐ uomo   ☐ indifferente")
    doc.add_heading("3. Tipo di intervento", level=1)
    checks(["Colloquio presso il servizio",
            "Colloquio telefonico o in videochiamata",
            "Accompagnamento presso altro ufficio (ASST, Questura, Prefettura, scuola)",
            "Incontro con la famiglia a scuola",
            "Traduzione scritta di documenti (allegare copia)"])
    doc.add_heading("4. Data, orario e luogo", level=1)
    table = doc.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    for i, h in enumerate(["Data proposta", "Ora di inizio", "Durata prevista", "Indirizzo"]):
        table.rows[0].cells[i].text = h
    doc.add_paragraph()
    doc.add_heading("5. Descrizione sintetica della situazione", level=1)
    doc.add_paragraph("Descrivere il motivo dell'intervento senza riportare dati sanitari o giudiziari "
                      "non necessari. Indicare se la persona ha già incontrato un mediatore.")
    for _ in range(4):
        doc.add_paragraph("_" * 80)
    doc.add_heading("6. Grado di urgenza", level=1)
    checks(["Ordinaria (intervento entro 10 giorni lavorativi)",
            "Urgente (entro 72 ore) – motivazione: ______________________________"])
    doc.add_heading("Informazioni per il servizio richiedente", level=1)
    doc.add_paragraph(
        "Il mediatore linguistico-culturale è tenuto al segreto professionale e non può essere "
        "utilizzato come testimone né come interprete in procedimenti giudiziari. Il servizio "
        "richiedente resta titolare del caso e della relazione con la persona.")
    doc.add_paragraph(
        "I dati personali sono trattati ai sensi del Regolamento UE 2016/679 esclusivamente per "
        "l'organizzazione dell'intervento di mediazione.")
    sig = doc.add_table(rows=2, cols=3)
    sig.style = "Table Grid"
    for i, h in enumerate(["Luogo e data", "Firma dell'operatore", "Visto del responsabile del servizio"]):
        sig.rows[0].cells[i].text = h
    for p in doc.paragraphs:
        for r in p.runs:
            r.font.size = Pt(10.5)
    docx_set_core(doc, "Modulo di richiesta di mediazione linguistico-culturale",
                  "Comune di Lecco – Settore Politiche Sociali", "Mediazione linguistico-culturale",
                  "mediazione, intercultura, modulo, Lecco", datetime(2019, 9, 2, 10, 0), "it-IT")
    save_docx(doc, STRUMENTI / "modulo-richiesta-mediazione.docx", (2019, 9, 2, 10, 0, 0))


# --------------------------------------------------------------------------- charset files

def gen_charsets():
    c = SRC / "charset"
    def text(name):
        return (c / name).read_text(encoding="utf-8")
    # Windows-1252 with CRLF line ends (as written by Notepad on an office PC)
    write_bytes(STRUMENTI / "avviso-sportello-stranieri-cp1252.txt",
                text("avviso-sportello-stranieri-cp1252.txt").replace("\n", "\r\n").encode("cp1252"))
    # ISO-8859-1, LF
    write_bytes(STRUMENTI / "verbale-tavolo-intercultura-latin1.txt",
                text("verbale-tavolo-intercultura-latin1.txt").encode("iso-8859-1"))
    # UTF-8 with BOM
    write_bytes(STRUMENTI / "calendario-corsi-italiano-bom.txt",
                b"\xef\xbb\xbf" + text("calendario-corsi-italiano-bom.txt").encode("utf-8"))
    # UTF-16LE with BOM, CRLF
    write_bytes(STRUMENTI / "promemoria-ricongiungimento-utf16.txt",
                b"\xff\xfe" + text("promemoria-ricongiungimento-utf16.txt").replace("\n", "\r\n").encode("utf-16-le"))


# --------------------------------------------------------------------------- PDFs

def md_to_pdf(md_path: Path, out: io.BytesIO, title, author, subject, keywords):
    """Very small markdown subset: '# ' title, '## ' heading, '- ' bullet, '===PAGINA===' page break."""
    ss = getSampleStyleSheet()
    body = ParagraphStyle("corpo", parent=ss["BodyText"], fontName="DejaVuSans", fontSize=10.5,
                          leading=15, alignment=TA_LEFT, spaceAfter=6)
    h1 = ParagraphStyle("titolo", parent=ss["Title"], fontName="DejaVuSans-Bold", fontSize=18, leading=22)
    h2 = ParagraphStyle("sez", parent=ss["Heading2"], fontName="DejaVuSans-Bold", fontSize=13, leading=17)
    story, bullets = [], []

    def flush():
        if bullets:
            story.append(ListFlowable([ListItem(Paragraph(html.escape(b), body), leftIndent=12) for b in bullets],
                                      bulletType="bullet", bulletFontName="DejaVuSans", start="•"))
            bullets.clear()
    for line in md_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("- "):
            bullets.append(line[2:])
            continue
        flush()
        if line.strip() == "===PAGINA===":
            story.append(PageBreak())
        elif line.startswith("## "):
            story.append(Paragraph(html.escape(line[3:]), h2))
        elif line.startswith("# "):
            story.append(Paragraph(html.escape(line[2:]), h1))
            story.append(Spacer(1, 6))
        else:
            story.append(Paragraph(html.escape(line), body))
    flush()

    def footer(canv, doc_):
        canv.setFont("DejaVuSans", 8)
        canv.drawString(2 * cm, 1.2 * cm, f"{title} – pagina {doc_.page}")

    doc = SimpleDocTemplate(out, pagesize=A4, title=title, author=author, subject=subject,
                            keywords=keywords, creator="Comune di Lodi – Ufficio Stranieri",
                            leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def simple_pdf(lines_per_page, title, author, encrypt=None, date=(2020, 1, 15)):
    """A plain canvas PDF: one list of text lines per page (Helvetica)."""
    set_pdf_date(*date)
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Correlare corpus B")
    c.setSubject("")
    for lines in lines_per_page:
        y = 27 * cm
        c.setFont("Helvetica", 11)
        for line in lines:
            c.drawString(2 * cm, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def handmade_pdf(page_streams, info_title):
    """Build a structurally valid PDF by hand. page_streams: list of (stream_dict_extra, raw_bytes)."""
    objs = {}
    n_pages = len(page_streams)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    kids = [5 + 2 * i for i in range(n_pages)]
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % n_pages
    objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs[4] = (b"<< /Title (" + info_title.encode("latin-1") + b") /Producer (Correlare corpus B)"
               b" /CreationDate (D:20200115090000+00'00') >>")
    for i, (extra, raw) in enumerate(page_streams):
        p, cnum = kids[i], kids[i] + 1
        objs[p] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                   b" /Contents %d 0 R >>" % cnum)
        objs[cnum] = b"<< /Length %d%s >>\nstream\n" % (len(raw), extra) + raw + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def text_stream(lines):
    s = b"BT /F1 12 Tf 72 770 Td 16 TL\n"
    for line in lines:
        esc = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        s += b"(" + esc + b") Tj T*\n"
    return s + b"ET"


# --------------------------------------------------------------------------- bundles

def gen_kit():
    k = SRC / "kit-accoglienza"
    set_pdf_date(2019, 3, 1)
    pdf = io.BytesIO()
    md_to_pdf(k / "guida-primo-colloquio.md", pdf, "Guida al primo colloquio di accoglienza",
              "Comune di Lodi – Ufficio Stranieri", "Kit accoglienza per gli sportelli",
              "accoglienza, colloquio, sportello, Lodi")
    inner = zip_bytes([("informativa-privacy.txt", (k / "informativa-privacy.txt").read_bytes())])
    members = [
        ("kit-accoglienza/documenti/guida-primo-colloquio.pdf", pdf.getvalue()),
        ("kit-accoglienza/pagine/benvenuti-a-lodi.html", (k / "benvenuti-a-lodi.html").read_bytes()),
        ("kit-accoglienza/testi/checklist-documenti.txt", (k / "checklist-documenti.txt").read_bytes()),
        ("kit-accoglienza/video/presentazione-sportello.srt", (k / "presentazione-sportello.srt").read_bytes()),
        ("kit-accoglienza/allegati/modulistica.zip", inner),
    ]
    write_bytes(BUNDLE / "kit-accoglienza.zip", zip_bytes(members))


def gen_tar():
    m = SRC / "materiali-modulo-2"
    mtime = epoch(2021, 3, 16, 8, 30)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name in ["scaletta-lezione.txt", "esercitazione-casi.html", "domande-dei-partecipanti.vtt"]:
            data = (m / name).read_bytes()
            ti = tarfile.TarInfo("materiali-modulo-2/" + name)
            ti.size, ti.mtime, ti.mode = len(data), mtime, 0o644
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = ""
            tf.addfile(ti, io.BytesIO(data))
    gz = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz, mtime=mtime, compresslevel=9) as g:
        g.write(raw.getvalue())
    write_bytes(BUNDLE / "materiali-modulo-2.tar.gz", gz.getvalue())


# --------------------------------------------------------------------------- hostile set

CORRUPT_PAGES = [
    ["Relazione annuale dello sportello stranieri - Comune di Mantova",
     "Pagina 1: nel 2019 lo sportello ha ricevuto 4.812 accessi.",
     "Le richieste principali riguardano il rinnovo del permesso di soggiorno."],
    ["Pagina 2: la mediazione interculturale e' stata richiesta 311 volte,",
     "soprattutto per le lingue arabo, urdu e cinese."],
    ["Pagina 3: conclusioni e proposte per il 2020."],
]


def gen_hostile():
    h = HOSTILE

    # empty.txt: 0 bytes
    write_bytes(h / "empty.txt", b"")

    # random.bin: 64 KiB of seeded pseudo-random bytes
    write_bytes(h / "random.bin", prng_bytes("correlare-random-bin", 64 * 1024))

    # corrupt.pdf: a real 3-page PDF, garbled in the middle and cut inside the xref table
    good = simple_pdf(CORRUPT_PAGES, "Relazione annuale sportello stranieri", "Comune di Mantova")
    b = bytearray(good)
    streams = [i for i in range(len(b)) if b.startswith(b"stream\n", i) or b.startswith(b"stream\r\n", i)]
    target = streams[len(streams) // 2] + 20          # inside a content stream in the middle of the file
    b[target:target + 120] = prng_bytes("corrupt-pdf", 120)
    xref = b.rindex(b"\nxref\n")
    cut = xref + 6 + 40                                # cut in the middle of the xref table
    write_bytes(h / "corrupt.pdf", bytes(b[:cut]))

    # encrypted.pdf: user password "segreto" (RC4 128 bit), owner password "proprietario"
    enc = pdfencrypt.StandardEncryption("segreto", ownerPassword="proprietario", canPrint=1,
                                        canModify=0, canCopy=0, canAnnotate=0, strength=128)
    write_bytes(h / "encrypted.pdf", simple_pdf(
        [["Documento riservato: elenco dei mediatori interculturali della Provincia di Como.",
          "Questo testo si legge solo con la password utente."]],
        "Elenco riservato dei mediatori", "Provincia di Como", encrypt=enc))

    # wrong-extension.docx: actually a PDF
    write_bytes(h / "wrong-extension.docx", simple_pdf(
        [["Questo documento e' un PDF salvato per errore con estensione docx.",
          "Parola chiave di controllo: girasole."]],
        "PDF con estensione sbagliata", "Correlare"))

    # wrong-extension.pdf: actually plain UTF-8 text
    write_bytes(h / "wrong-extension.pdf",
                "Questo file è testo semplice salvato con estensione .pdf.\n"
                "Non contiene alcuna struttura PDF. Parola chiave di controllo: ciclamino.\n".encode("utf-8"))

    # invalid-utf8.txt: valid UTF-8 Italian text with invalid sequences inserted
    parts = [
        "Comunicazione agli utenti dello sportello di Varese.\n".encode(),
        "La città di Varese offre corsi di italiano gratuiti per adulti.\n".encode(),
        b"Byte isolato \xff qui; sequenza troncata \xe2\x82 qui; continuazione orfana \x80 qui.\n",
        b"Sequenza non valida \xc3\x28 e forma sovralunga \xc0\xaf e surrogato \xed\xa0\x80 fine.\n",
        "Le iscrizioni si chiudono venerdì: portate il permesso di soggiorno.\n".encode(),
        b"Ultima riga con byte finale troncato \xc3",
    ]
    write_bytes(h / "invalid-utf8.txt", b"".join(parts))

    # bad-stream.pdf: valid structure, page 1 readable, page 2 content stream is garbage
    good_page = text_stream(["Prima pagina leggibile: il flusso di contenuto e' integro.",
                             "Parola chiave di controllo: biancospino."])
    bad_page = prng_bytes("bad-stream-pdf", 700)
    write_bytes(h / "bad-stream.pdf", handmade_pdf([(b"", good_page), (b" /Filter /FlateDecode", bad_page)],
                                                  "PDF con flusso di pagina corrotto"))

    # zip-slip.zip: path traversal and absolute names
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr(zinfo("documenti/nota-regolare.txt"),
                    "Nota regolare: questo è l'unico membro con un percorso sicuro.\n".encode(), compresslevel=9)
        zf.writestr(zinfo("../../etc/evil.txt"), b"EVIL: path traversal con ../../\n", compresslevel=9)
        zf.writestr(zinfo("/abs/path.txt"), b"EVIL: percorso assoluto\n", compresslevel=9)
        zf.writestr(zinfo("documenti/../../../fuori.txt"), b"EVIL: traversal nascosto a meta' percorso\n",
                    compresslevel=9)
        zf.writestr(zinfo("collegamento-passwd", method=zipfile.ZIP_STORED, mode=0o120777), b"/etc/passwd")
    write_bytes(h / "zip-slip.zip", slip.getvalue())

    # nested-10.zip: ten levels of ZIP, innermost a TXT
    data = zip_bytes([("messaggio-finale.txt",
                       "Messaggio dal decimo livello: la rete degli sportelli di Sondrio si riunisce "
                       "il primo lunedì del mese.\n".encode())])
    for level in range(9, 0, -1):
        data = zip_bytes([(f"livello-{level + 1:02d}.zip", data)])
    write_bytes(h / "nested-10.zip", data)

    # zip-bomb.zip: ~131 KB on disk, 1.125 GiB uncompressed
    bomb_path = h / "zip-bomb.zip"
    bomb_path.parent.mkdir(parents=True, exist_ok=True)
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(bomb_path, "w") as zf:
        zf.writestr(zinfo("leggimi.txt"),
                    "Archivio di prova: contiene membri che si espandono oltre 1 GiB.\n".encode(), compresslevel=9)
        for name, method, mib in [("dati/zeri-128mib-deflate.bin", zipfile.ZIP_DEFLATED, 128),
                                  ("dati/zeri-1gib-bzip2.bin", zipfile.ZIP_BZIP2, 1024)]:
            zi = zinfo(name, method=method)
            zi.file_size = mib << 20
            with zf.open(zi, "w") as w:
                for _ in range(mib):
                    w.write(chunk)
    print(f"  {bomb_path.relative_to(ROOT)}  ({bomb_path.stat().st_size} bytes)")

    # truncated.zip: 2nd member claims 3,000,000,000 bytes but its data stops after 4096 bytes
    write_bytes(h / "truncated.zip", truncated_zip())

    # billion-laughs.docx: DTD with nested entities lol1..lol9 in word/document.xml
    write_bytes(h / "billion-laughs.docx", billion_laughs_docx())


def truncated_zip():
    dos_time, dos_date = (9 << 11), ((2019 - 1980) << 9) | (3 << 5) | 1
    out = bytearray()
    cd = bytearray()

    def local(name, method, crc, csize, usize, data):
        off = len(out)
        nb = name.encode()
        out.extend(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, dos_time, dos_date,
                               crc, csize, usize, len(nb), 0) + nb + data)
        cd.extend(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, 0, method, dos_time,
                              dos_date, crc, csize, usize, len(nb), 0, 0, 0, 0, 0o100644 << 16, off) + nb)

    txt = "Indice: questo archivio contiene un secondo membro troncato.\n".encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    ctxt = comp.compress(txt) + comp.flush()
    local("indice.txt", 8, zlib.crc32(txt), len(ctxt), len(txt), ctxt)
    body = ("Registro degli accessi allo sportello. " * 200000).encode()
    comp = zlib.compressobj(0, zlib.DEFLATED, -15)        # stored deflate blocks: data is incompressible-sized
    full = comp.compress(body)
    local("archivio/registro-completo.txt", 8, 0x5A17C0DE, 40_000_000, 3_000_000_000, full[:4096])
    cd_off = len(out)
    out.extend(cd)
    out.extend(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cd), cd_off, 0))
    return bytes(out)


def billion_laughs_docx():
    doc = docx.Document()
    doc.add_heading("Documento di prova con entità XML annidate", level=1)
    doc.add_paragraph("Paragrafo normale prima della bomba: parola chiave di controllo papavero.")
    doc.add_paragraph("SEGNAPOSTO_ENTITA")
    doc.add_paragraph("Paragrafo normale dopo la bomba.")
    docx_set_core(doc, "Billion laughs", "Correlare", "", "", datetime(2020, 1, 15, 9, 0), "it-IT")
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    dtd = ['<!DOCTYPE w:document [', '  <!ENTITY lol "lol">']
    prev = "lol"
    for i in range(1, 10):
        dtd.append(f'  <!ENTITY lol{i} "' + f"&{prev};" * 10 + '">')
        prev = f"lol{i}"
    dtd.append("]>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                s = data.decode("utf-8")
                decl_end = s.index("?>") + 2
                s = s[:decl_end] + "\n" + "\n".join(dtd) + "\n" + s[decl_end:].lstrip("\r\n")
                s = s.replace("SEGNAPOSTO_ENTITA", "&lol9;")
                data = s.encode("utf-8")
            zf.writestr(zinfo(info.filename, (2020, 1, 15, 9, 0, 0)), data, compresslevel=9)
    return out.getvalue()


# --------------------------------------------------------------------------- main

def main():
    which = set(sys.argv[1:]) or {"leaflets", "glossary", "form", "charsets", "kit", "tar", "hostile"}
    steps = [("leaflets", gen_leaflets), ("glossary", gen_glossary), ("form", gen_form),
             ("charsets", gen_charsets), ("kit", gen_kit), ("tar", gen_tar), ("hostile", gen_hostile)]
    for name, fn in steps:
        if name in which:
            print(name)
            fn()


if __name__ == "__main__":
    main()
