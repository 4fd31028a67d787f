#!/usr/bin/python3
"""Regenerate corpus A of corpus-samples/ (dispense, normativa, presentazioni,
raccomandazioni, formazione) from the sources in corpus-samples/src/a/.

Run with Debian's interpreter from anywhere:

    /usr/bin/python3 corpus-samples/src/generate_a.py

Debian packages needed (developer tool only, not needed by the build or tests):
    python3-reportlab python3-docx python3-odf python3-openpyxl pandoc fonts-dejavu-core
Useful to check the output: poppler-utils (pdftotext, pdfinfo), unzip, file.

The output is deterministic: fixed dates in the metadata, fixed zip entry times,
reportlab in invariant mode (fixed document ID and encryption salt), no randomness.

Source format of src/a/*.md (except *.pandoc.md, which is plain pandoc markdown):
a header of "key: value" lines, a line "---", then a body where
"# ", "## ", "### " start headings, "- " starts a bullet, "| a | b |" lines form a
table (first row = header), "===PAGE===" is a page break (PDF) or a slide break
(ODP), and blank lines separate paragraphs.
"""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import zipfile

import reportlab.rl_config as rl_config

rl_config.invariant = 1  # must be set before the other reportlab imports

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
    Table, TableStyle)
from xml.sax.saxutils import escape  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "a")
ROOT = os.path.dirname(HERE)  # corpus-samples/

# --------------------------------------------------------------------------
# source parsing


def parse_source(name):
    path = os.path.join(SRC, name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, body = text.split("\n---\n", 1)
    meta = {}
    for line in head.splitlines():
        if not line.strip():
            continue
        k, v = line.split(":", 1)
        meta[k.strip()] = v.strip()
    blocks = []
    para = []

    def flush():
        if para:
            blocks.append(("p", " ".join(para)))
            para.clear()

    for raw in body.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if line == "===PAGE===":
            flush()
            blocks.append(("page", None))
        elif line.startswith("### "):
            flush()
            blocks.append(("h3", line[4:]))
        elif line.startswith("## "):
            flush()
            blocks.append(("h2", line[3:]))
        elif line.startswith("# "):
            flush()
            blocks.append(("h1", line[2:]))
        elif line.startswith("- "):
            flush()
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(line[2:])
            else:
                blocks.append(("ul", [line[2:]]))
        elif line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        else:
            para.append(line.strip())
    flush()
    return meta, blocks


def meta_datetime(meta, hour=9, minute=30):
    y, m, d = (int(x) for x in meta["date"].split("-"))
    return datetime.datetime(y, m, d, hour, minute, 0)


def authors_list(meta):
    return [a.strip() for a in meta.get("author", "").split(";") if a.strip()]


# --------------------------------------------------------------------------
# zip normalisation (fixed entry times, fixed attributes, same order)


def normalize_zip(path, when):
    dt = (when.year, when.month, when.day, when.hour, when.minute, 0)
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, i.compress_type, zin.read(i.filename))
                   for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name, ctype, data in entries:
            zi = zipfile.ZipInfo(name, date_time=dt)
            zi.compress_type = (zipfile.ZIP_STORED if name == "mimetype"
                                else zipfile.ZIP_DEFLATED)
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            zout.writestr(zi, data, compresslevel=9)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


# --------------------------------------------------------------------------
# PDF (reportlab)

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
_fonts_done = False


def register_fonts():
    global _fonts_done
    if _fonts_done:
        return
    for name, fn in [("DejaVuSans", "DejaVuSans.ttf"),
                     ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
                     ("DejaVuSerif", "DejaVuSerif.ttf"),
                     ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf")]:
        pdfmetrics.registerFont(TTFont(name, os.path.join(FONT_DIR, fn)))
    _fonts_done = True


FONTS = {
    "helvetica": ("Helvetica", "Helvetica-Bold"),
    "times": ("Times-Roman", "Times-Bold"),
    "dejavu": ("DejaVuSans", "DejaVuSans-Bold"),
    "dejavuserif": ("DejaVuSerif", "DejaVuSerif-Bold"),
}


def inline(text):
    return escape(text)


def build_pdf(src, out, footer):
    meta, blocks = parse_source(src)
    register_fonts()
    regular, bold = FONTS[meta.get("font", "helvetica")]
    slides = meta.get("layout") == "slides"
    pagesize = landscape(A4) if slides else A4
    base = 18 if slides else 10.5
    st = {
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=base + 8 if slides else 17,
                             leading=(base + 8 if slides else 17) * 1.25,
                             spaceAfter=12, textColor=colors.HexColor("#1f3b5a")),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=base + 6 if slides else 13,
                             leading=(base + 6 if slides else 13) * 1.3,
                             spaceBefore=10, spaceAfter=8 if slides else 5,
                             textColor=colors.HexColor("#1f3b5a")),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=11.5, leading=15,
                             spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=regular, fontSize=base,
                            leading=base * 1.45, spaceAfter=6,
                            alignment=TA_LEFT if slides else TA_JUSTIFY),
        "li": ParagraphStyle("li", fontName=regular, fontSize=base,
                             leading=base * 1.45, alignment=TA_LEFT),
        "td": ParagraphStyle("td", fontName=regular, fontSize=base - 1,
                             leading=(base - 1) * 1.3),
    }
    story = []
    for kind, val in blocks:
        if kind == "page":
            story.append(PageBreak())
        elif kind in ("h1", "h2", "h3", "p"):
            story.append(Paragraph(inline(val), st[kind]))
        elif kind == "ul":
            items = [ListItem(Paragraph(inline(t), st["li"]), leftIndent=18)
                     for t in val]
            story.append(ListFlowable(items, bulletType="bullet", start="•", bulletFontSize=base,
                                      bulletFontName=regular, leftIndent=18,
                                      spaceBefore=2, spaceAfter=8))
        elif kind == "table":
            data = [[Paragraph(inline(c), st["td"]) for c in row] for row in val]
            t = Table(data, hAlign="LEFT")
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ecf4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
            story.append(Spacer(1, 8))

    created = meta_datetime(meta)
    pdf_date = created.strftime("D:%Y%m%d%H%M%S+01'00'")

    def decorate(canvas, doc):
        canvas.setDateFormatter(lambda *a: pdf_date)
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.grey)
        w, _ = pagesize
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        canvas.drawRightString(w - 2 * cm, 1.2 * cm, "Pagina %d" % doc.page)
        canvas.restoreState()

    encrypt = None
    if meta.get("owner_password"):
        encrypt = StandardEncryption("", ownerPassword=meta["owner_password"],
                                     canPrint=1, canModify=0, canCopy=1,
                                     canAnnotate=0, strength=128)
    doc = SimpleDocTemplate(
        os.path.join(ROOT, out), pagesize=pagesize,
        leftMargin=2.2 * cm, rightMargin=2.2 * cm,
        topMargin=2 * cm, bottomMargin=2.2 * cm,
        title=meta["title"], author=meta.get("author", ""),
        subject=meta.get("subject", ""), keywords=meta.get("keywords", ""),
        creator=meta.get("creator", "Correlare corpus-samples (reportlab)"),
        encrypt=encrypt, lang="it-IT")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


# --------------------------------------------------------------------------
# DOCX (python-docx)


def build_docx(src, out):
    import docx
    from docx.shared import Pt

    meta, blocks = parse_source(src)
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    for kind, val in blocks:
        if kind == "page":
            d.add_page_break()
        elif kind == "h1":
            d.add_heading(val, level=1)
        elif kind == "h2":
            d.add_heading(val, level=2)
        elif kind == "h3":
            d.add_heading(val, level=3)
        elif kind == "p":
            d.add_paragraph(val)
        elif kind == "ul":
            for t in val:
                d.add_paragraph(t, style="List Bullet")
        elif kind == "table":
            t = d.add_table(rows=len(val), cols=len(val[0]))
            t.style = "Table Grid"
            for r, row in enumerate(val):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
                    if r == 0:
                        for run in t.cell(r, c).paragraphs[0].runs:
                            run.bold = True
    created = meta_datetime(meta)
    cp = d.core_properties
    cp.title = meta["title"]
    cp.author = meta.get("author", "")
    cp.subject = meta.get("subject", "")
    cp.keywords = meta.get("keywords", "")
    cp.language = "it-IT"
    cp.last_modified_by = authors_list(meta)[0] if authors_list(meta) else ""
    cp.created = created
    cp.modified = created + datetime.timedelta(hours=2)
    cp.last_printed = created + datetime.timedelta(hours=2)
    cp.revision = 3
    cp.comments = ""
    cp.category = ""
    path = os.path.join(ROOT, out)
    d.save(path)
    normalize_zip(path, created)


# --------------------------------------------------------------------------
# ODF helpers (odfpy)


def odf_meta(doc, meta):
    from odf import dc
    from odf import meta as odfmeta

    created = meta_datetime(meta).strftime("%Y-%m-%dT%H:%M:%S")
    doc.meta.addElement(dc.Title(text=meta["title"]))
    if meta.get("subject"):
        doc.meta.addElement(dc.Subject(text=meta["subject"]))
    doc.meta.addElement(dc.Creator(text=meta.get("author", "")))
    doc.meta.addElement(odfmeta.InitialCreator(text=meta.get("author", "")))
    doc.meta.addElement(odfmeta.CreationDate(text=created))
    doc.meta.addElement(dc.Date(text=created))
    doc.meta.addElement(dc.Language(text="it-IT"))
    for kw in meta.get("keywords", "").split(";"):
        if kw.strip():
            doc.meta.addElement(odfmeta.Keyword(text=kw.strip()))


def build_odt(src, out):
    from odf.opendocument import OpenDocumentText
    from odf.style import (Style, TextProperties, ParagraphProperties,
                           TableColumnProperties)
    from odf.text import H, P, List, ListItem as OListItem, SoftPageBreak  # noqa: F401
    from odf import table

    meta, blocks = parse_source(src)
    doc = OpenDocumentText()
    odf_meta(doc, meta)

    hstyles = {}
    for lvl, size in ((1, "16pt"), (2, "13pt"), (3, "11.5pt")):
        s = Style(name="Heading_20_%d" % lvl, displayname="Heading %d" % lvl,
                  family="paragraph", defaultoutlinelevel=str(lvl))
        s.addElement(TextProperties(fontsize=size, fontweight="bold"))
        s.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
        doc.styles.addElement(s)
        hstyles[lvl] = s
    body = Style(name="Text_20_body", displayname="Text body", family="paragraph")
    body.addElement(ParagraphProperties(marginbottom="0.2cm"))
    body.addElement(TextProperties(fontsize="11pt"))
    doc.styles.addElement(body)
    brk = Style(name="PageBreak", family="paragraph", parentstylename=body)
    brk.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(brk)
    col = Style(name="ColA", family="table-column")
    col.addElement(TableColumnProperties(columnwidth="5cm"))
    doc.automaticstyles.addElement(col)

    pending_break = False
    ntab = 0
    for kind, val in blocks:
        if kind == "page":
            pending_break = True
            continue
        if kind in ("h1", "h2", "h3"):
            lvl = int(kind[1])
            doc.text.addElement(H(outlinelevel=lvl, stylename=hstyles[lvl], text=val))
        elif kind == "p":
            doc.text.addElement(P(stylename=brk if pending_break else body, text=val))
        elif kind == "ul":
            lst = List()
            for t in val:
                li = OListItem()
                li.addElement(P(stylename=body, text=t))
                lst.addElement(li)
            doc.text.addElement(lst)
        elif kind == "table":
            ntab += 1
            t = table.Table(name="Tabella%d" % ntab)
            t.addElement(table.TableColumn(numbercolumnsrepeated=len(val[0]),
                                           stylename=col))
            for row in val:
                tr = table.TableRow()
                for cell in row:
                    tc = table.TableCell(valuetype="string")
                    tc.addElement(P(text=cell))
                    tr.addElement(tc)
                t.addElement(tr)
            doc.text.addElement(t)
        pending_break = False
    path = os.path.join(ROOT, out)
    doc.save(path)
    normalize_zip(path, meta_datetime(meta))


def build_odp(src, out):
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import (Style, MasterPage, PageLayout, PageLayoutProperties,
                           TextProperties, GraphicProperties, ParagraphProperties,
                           DrawingPageProperties)
    from odf.text import P, List, ListItem as OListItem
    from odf.draw import Page, Frame, TextBox

    meta, blocks = parse_source(src)
    doc = OpenDocumentPresentation()
    odf_meta(doc, meta)

    pl = PageLayout(name="PM1")
    pl.addElement(PageLayoutProperties(margin="0cm", pagewidth="28cm",
                                       pageheight="15.75cm",
                                       printorientation="landscape"))
    doc.automaticstyles.addElement(pl)
    dps = Style(name="dp1", family="drawing-page")
    dps.addElement(DrawingPageProperties(backgroundvisible="true"))
    doc.automaticstyles.addElement(dps)
    master = MasterPage(name="Standard", pagelayoutname=pl)
    doc.masterstyles.addElement(master)

    title_style = Style(name="TitleFrame", family="presentation")
    title_style.addElement(GraphicProperties(fill="none", stroke="none"))
    title_style.addElement(TextProperties(fontsize="30pt", fontweight="bold",
                                          color="#1f3b5a"))
    doc.styles.addElement(title_style)
    body_style = Style(name="BodyFrame", family="presentation")
    body_style.addElement(GraphicProperties(fill="none", stroke="none"))
    body_style.addElement(TextProperties(fontsize="20pt"))
    body_style.addElement(ParagraphProperties(marginbottom="0.25cm"))
    doc.styles.addElement(body_style)

    slides = [[]]
    for b in blocks:
        if b[0] == "page":
            slides.append([])
        else:
            slides[-1].append(b)
    for n, sl in enumerate(slides, 1):
        page = Page(name="Diapositiva%d" % n, masterpagename=master,
                    stylename=dps)
        title = next(v for k, v in sl if k == "h1")
        tf = Frame(stylename=title_style, width="25cm", height="3cm", x="1.5cm",
                   y="0.8cm", **{"class": "title"})
        tb = TextBox()
        tb.addElement(P(text=title))
        tf.addElement(tb)
        page.addElement(tf)
        of = Frame(stylename=body_style, width="25cm", height="10.5cm", x="1.5cm",
                   y="4.2cm", **{"class": "outline"})
        ob = TextBox()
        for k, v in sl:
            if k == "ul":
                lst = List()
                for t in v:
                    li = OListItem()
                    li.addElement(P(text=t))
                    lst.addElement(li)
                ob.addElement(lst)
            elif k == "p":
                ob.addElement(P(text=v))
        of.addElement(ob)
        page.addElement(of)
        doc.presentation.addElement(page)
    path = os.path.join(ROOT, out)
    doc.save(path)
    normalize_zip(path, meta_datetime(meta))


# --------------------------------------------------------------------------
# PPTX (pandoc)


def build_pptx(src, out, date):
    path = os.path.join(ROOT, out)
    when = datetime.datetime(*[int(x) for x in date.split("-")], 9, 30)
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(int(when.replace(
        tzinfo=datetime.timezone.utc).timestamp()))
    subprocess.run(["pandoc", "--from", "markdown", "--to", "pptx",
                    "--slide-level", "1", "-o", path, os.path.join(SRC, src)],
                   check=True, env=env)
    normalize_zip(path, when)


# --------------------------------------------------------------------------
# spreadsheets


def read_csv(name):
    with open(os.path.join(SRC, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def xlsx_use_shared_strings(path):
    """openpyxl (Debian 3.0.9) writes every string cell inline (t="inlineStr");
    Excel and LibreOffice write a shared string table instead. Rewrite the
    workbook the way Excel does, so that the sample shows the common layout."""
    import re
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    strings, index, total = [], {}, 0
    cell = re.compile(r'<c ([^>]*?)t="inlineStr"><is><t(?: xml:space="preserve")?>'
                      r'(.*?)</t></is></c>', re.S)

    def repl(m):
        nonlocal total
        s = m.group(2)
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        total += 1
        return '<c %st="s"><v>%d</v></c>' % (m.group(1), index[s])

    out = []
    for name, data in entries:
        if name.startswith("xl/worksheets/sheet"):
            data = cell.sub(repl, data.decode("utf-8")).encode("utf-8")
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/'
                b'2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                b'Id="rId99"/></Relationships>')
        elif name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                b"</Types>")
        out.append((name, data))
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'count="%d" uniqueCount="%d">' % (total, len(strings))
           + "".join("<si><t>%s</t></si>" % s for s in strings) + "</sst>")
    pos = [n for n, _ in out].index("xl/styles.xml")
    out.insert(pos, ("xl/sharedStrings.xml", sst.encode("utf-8")))
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in out:
            zout.writestr(name, data)


def build_xlsx(out):
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    rows = read_csv("registro-presenze-corsi-2012.csv")
    wb = Workbook()
    ws = wb.active
    ws.title = "Presenze 2012"
    header = ["Provincia", "Corso", "Modulo", "Data", "Sede", "Iscritti",
              "Presenti", "Ore", "Ore/persona", "Docente"]
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DCE6F1")
    for r in rows:
        y, m, d = (int(x) for x in r["data"].split("-"))
        pres, ore = int(r["presenti"]), int(r["ore"])
        ws.append([r["provincia"], r["corso"], r["modulo"],
                   datetime.datetime(y, m, d), r["sede"], int(r["iscritti"]),
                   pres, ore, pres * ore, r["docente"]])
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for c in row:
            c.number_format = "DD/MM/YYYY"
    for col, w in zip("ABCDEFGHIJ", (22, 28, 52, 12, 44, 9, 9, 6, 12, 20)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"

    tot = wb.create_sheet("Riepilogo per provincia")
    tot.append(["Provincia", "Moduli", "Presenze", "Ore erogate", "Ore/persona"])
    for c in tot[1]:
        c.font = Font(bold=True)
    agg = {}
    for r in rows:
        a = agg.setdefault(r["provincia"], [0, 0, 0, 0])
        a[0] += 1
        a[1] += int(r["presenti"])
        a[2] += int(r["ore"])
        a[3] += int(r["presenti"]) * int(r["ore"])
    for p in sorted(agg):
        tot.append([p] + agg[p])
    tot.append(["Totale Lombardia"] + [sum(a[i] for a in agg.values())
                                       for i in range(4)])
    tot.column_dimensions["A"].width = 24

    created = datetime.datetime(2013, 1, 15, 10, 0, 0)
    wb.properties.title = "Registro presenze dei corsi di formazione 2012"
    wb.properties.creator = "Ufficio formazione - Rete regionale sportelli immigrazione"
    wb.properties.lastModifiedBy = "Ufficio formazione"
    wb.properties.subject = "Presenze e ore dei corsi per operatori dei servizi per immigrati, anno 2012"
    wb.properties.keywords = "registro presenze; formazione; operatori; province lombarde"
    wb.properties.created = created
    wb.properties.modified = created
    wb.properties.language = "it-IT"
    path = os.path.join(ROOT, out)
    wb.save(path)
    xlsx_use_shared_strings(path)
    normalize_zip(path, created)
    return agg


def build_ods(out):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.text import P
    from odf import table

    vals = read_csv("questionari-valutazione-formazione-2013.csv")
    comms = read_csv("questionari-commenti-2013.csv")
    doc = OpenDocumentSpreadsheet()
    odf_meta(doc, {
        "title": "Risultati dei questionari di valutazione della formazione 2013",
        "author": "Ufficio formazione - Rete regionale sportelli immigrazione",
        "subject": "Gradimento dei moduli formativi per operatori, scala da 1 a 5",
        "keywords": "questionari; valutazione; gradimento; formazione; operatori",
        "date": "2013-12-16"})
    boldst = Style(name="Intestazione", family="table-cell")
    boldst.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(boldst)
    wide = Style(name="colwide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="6cm"))
    doc.automaticstyles.addElement(wide)

    def header_row(names):
        tr = table.TableRow()
        for n in names:
            tc = table.TableCell(valuetype="string", stylename=boldst)
            tc.addElement(P(text=n))
            tr.addElement(tc)
        return tr

    def scell(v):
        tc = table.TableCell(valuetype="string")
        tc.addElement(P(text=v))
        return tc

    def fcell(v, shown=None):
        tc = table.TableCell(valuetype="float", value=v)
        tc.addElement(P(text=shown if shown is not None else str(v)))
        return tc

    t = table.Table(name="Valutazioni")
    t.addElement(table.TableColumn(numbercolumnsrepeated=3, stylename=wide))
    t.addElement(table.TableColumn(numbercolumnsrepeated=7))
    t.addElement(header_row(["Provincia", "Corso", "Modulo", "Questionari",
                             "Utilità", "Chiarezza docenti", "Materiali",
                             "Organizzazione", "Media", "Consiglierebbe (%)"]))
    for r in vals:
        nums = [float(r[k]) for k in ("utilita", "chiarezza", "materiali",
                                      "organizzazione")]
        media = round(sum(nums) / 4 + 1e-9, 2)
        tr = table.TableRow()
        tr.addElement(scell(r["provincia"]))
        tr.addElement(scell(r["corso"]))
        tr.addElement(scell(r["modulo"]))
        tr.addElement(fcell(int(r["questionari"])))
        for x in nums:
            tr.addElement(fcell(x, ("%.1f" % x).replace(".", ",")))
        tr.addElement(fcell(media, ("%.2f" % media).replace(".", ",")))
        tr.addElement(fcell(int(r["consiglierebbe"])))
        t.addElement(tr)
    doc.spreadsheet.addElement(t)

    t2 = table.Table(name="Commenti liberi")
    t2.addElement(table.TableColumn(numbercolumnsrepeated=2, stylename=wide))
    t2.addElement(table.TableColumn())
    t2.addElement(header_row(["Provincia", "Modulo", "Commento"]))
    for r in comms:
        tr = table.TableRow()
        for k in ("provincia", "modulo", "commento"):
            tr.addElement(scell(r[k]))
        t2.addElement(tr)
    doc.spreadsheet.addElement(t2)
    path = os.path.join(ROOT, out)
    doc.save(path)
    normalize_zip(path, datetime.datetime(2013, 12, 16, 9, 30))


# --------------------------------------------------------------------------
# sidecars

SIDECARS = {
    "dispense/centri-per-impiego-contratto-di-soggiorno.pdf.meta.json": {
        "title": "Lavoro e immigrazione: centri per l'impiego e contratto di soggiorno",
        "authors": ["Sara Locatelli"],
        "date": "2012-10-08",
        "type": "dispensa",
        "axes": ["lavoro"],
        "province": "bergamo",
        "lang": "it",
        "module": "Lavoro e immigrazione - Modulo 1",
        "description": "Dispensa per gli operatori dei Centri per l'Impiego della "
                       "Provincia di Bergamo: decreto flussi, contratto di soggiorno, "
                       "attesa occupazione, emersione 2012.",
    },
    "presentazioni/decreto-flussi-ingresso-per-lavoro.pptx.meta.json": {
        "province": "milano",
        "module": "Orientarsi nei servizi - Modulo 2 - Lavoro e decreto flussi",
        "axes": ["lavoro", "servizi"],
        "type": "presentazione",
    },
    "raccomandazioni/raccomandazioni-cdp-mediazione-scolastica-varese.odt.meta.json": {
        "authors": ["Comunità di pratica dei mediatori scolastici", "Provincia di Varese"],
        "date": "2012",
        "axes": ["intercultura", "educazione"],
        "province": "varese",
        "type": "raccomandazione",
        "description": "Sette raccomandazioni su mediazione interculturale, colloqui "
                       "con le famiglie e avvisi tradotti, a.s. 2011/12.",
    },
}


def write_sidecars():
    for rel, obj in SIDECARS.items():
        with open(os.path.join(ROOT, rel), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")


# --------------------------------------------------------------------------

PDF_DOCS = [
    ("permesso-di-soggiorno-procedure-questura.md", "dispense",
     "Provincia di Milano - Corso Orientarsi nei servizi"),
    ("accesso-ssn-tessera-sanitaria-stp.md", "dispense",
     "ASL di Brescia - Ufficio Salute e Immigrazione"),
    ("centri-per-impiego-contratto-di-soggiorno.md", "dispense",
     "Provincia di Bergamo - Settore Lavoro"),
    ("inserimento-scolastico-alunni-stranieri-cpia.md", "dispense",
     "Provincia di Cremona - Scuola e territorio"),
    ("minori-stranieri-non-accompagnati.md", "dispense",
     "Provincia di Varese - Servizi sociali"),
    ("mediazione-linguistico-culturale.md", "dispense",
     "Comune di Lecco - Laboratorio interculturale"),
    ("edilizia-residenziale-pubblica-idoneita-alloggiativa.md", "dispense",
     "Provincia di Pavia - Osservatorio sull'immigrazione"),
    ("ricongiungimento-familiare.md", "dispense",
     "Provincia di Mantova - Sportelli immigrazione"),
    ("sportello-stranieri-accoglienza-e-orientamento.md", "dispense",
     "Provincia di Como - Corso di base per operatori di sportello"),
    ("decreto-regionale-corsi-italiano-l2-adulti.md", "normativa",
     "Regione Lombardia - Decreto dirigenziale n. 11873/2010"),
    ("circolare-asl-assistenza-sanitaria-stp-eni.md", "normativa",
     "ASL della Provincia di Monza e Brianza - Circolare n. 4/2013"),
    ("circolare-regionale-legge-47-2017-msna.md", "normativa",
     "Regione Lombardia - Circolare n. 9/2017"),
    ("raccomandazioni-cdp-abitare-mantova.md", "raccomandazioni",
     "Comunità di pratica Abitare in rete - Provincia di Mantova"),
    ("abitare-sociale-brianza-slide.md", "presentazioni",
     "Seminario Casa e integrazione - Monza, 13 maggio 2013"),
]

DOCX_DOCS = [
    ("test-lingua-italiana-livello-a2.md", "dispense"),
    ("regolamento-idoneita-alloggiativa-comune-di-lodi.md", "normativa"),
    ("disciplinare-servizi-impiego-lavoratori-stranieri-como.md", "normativa"),
    ("raccomandazioni-cdp-accesso-servizi-sanitari-bergamo.md", "raccomandazioni"),
]

ODT_DOCS = [
    ("delibera-provinciale-mediazione-linguistico-culturale-brescia.md", "normativa"),
    ("raccomandazioni-cdp-mediazione-scolastica-varese.md", "raccomandazioni"),
]


def main():
    for d in ("dispense", "normativa", "presentazioni", "raccomandazioni",
              "formazione"):
        os.makedirs(os.path.join(ROOT, d), exist_ok=True)
    for src, folder, footer in PDF_DOCS:
        build_pdf(src, "%s/%s.pdf" % (folder, src[:-3]), footer)
    for src, folder in DOCX_DOCS:
        build_docx(src, "%s/%s.docx" % (folder, src[:-3]))
    for src, folder in ODT_DOCS:
        build_odt(src, "%s/%s.odt" % (folder, src[:-3]))
    build_odp("scuola-e-famiglie-straniere-comunicare.md",
              "presentazioni/scuola-e-famiglie-straniere-comunicare.odp")
    build_pptx("decreto-flussi-ingresso-per-lavoro.pandoc.md",
               "presentazioni/decreto-flussi-ingresso-per-lavoro.pptx", "2011-02-14")
    build_xlsx("formazione/registro-presenze-corsi-2012.xlsx")
    build_ods("formazione/questionari-valutazione-formazione-2013.ods")
    write_sidecars()
    print("corpus A generated in", ROOT, file=sys.stderr)


if __name__ == "__main__":
    main()
