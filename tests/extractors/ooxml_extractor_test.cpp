// OOXML extractor (DOCX, XLSX, PPTX): the sample corpus for real files, small packages
// built in memory for the edge cases.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "extractor_test_support.h"
#include "office_test_support.h"

namespace correlare::extractors {
namespace {

using namespace correlare::testing;  // StoredZip, ExtractSample, ExtractBytes

constexpr const char* kW =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
constexpr const char* kContentTypes =
    "<?xml version=\"1.0\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

std::string Rels(const std::vector<std::pair<std::string, std::string>>& type_and_target) {
  std::string xml =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  int id = 0;
  for (const auto& [type, target] : type_and_target) {
    xml += "<Relationship Id=\"rId" + std::to_string(++id) +
           "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" +
           type + "\" Target=\"" + target + "\"/>";
  }
  return xml + "</Relationships>";
}

// A DOCX whose body is `body` (WordprocessingML inside <w:body>).
std::string Docx(const std::string& body, ZipEntries extra = {}) {
  ZipEntries entries = {
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", Rels({{"officeDocument", "word/document.xml"}})},
      {"word/document.xml", std::string("<?xml version=\"1.0\"?><w:document ") + kW +
                                "><w:body>" + body + "</w:body></w:document>"},
  };
  entries.insert(entries.end(), extra.begin(), extra.end());
  return StoredZip(entries);
}

// ---- Sample corpus -------------------------------------------------------------------

TEST(OoxmlExtractor, ReadsDocxCoreProperties) {
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(doc.title,
            "Il test di conoscenza della lingua italiana di livello A2: guida per i formatori");
  EXPECT_EQ(doc.title_source, "metadata");
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Davide Pedrotti"});
  EXPECT_EQ(doc.date, "2011-03-21");
  EXPECT_EQ(doc.declared_lang, "it-IT");
  EXPECT_EQ(doc.lang, "it");
  EXPECT_EQ(doc.metadata.at("subject"),
            "Dispensa per insegnanti di italiano L2 e operatori degli sportelli - Provincia di "
            "Sondrio");
  EXPECT_NE(doc.metadata.at("keywords").find("livello A2"), std::string::npos);
}

TEST(OoxmlExtractor, DocxTextKeepsParagraphsAndFirstHeading) {
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.heading, "Il test di conoscenza della lingua italiana di livello A2");
  EXPECT_EQ(doc.text.rfind("Il test di conoscenza della lingua italiana di livello A2\n\n", 0),
            0u);
  EXPECT_NE(doc.text.find("\n\nIl quadro normativo\n\nDal 9 dicembre 2010, chi chiede il "
                          "permesso di soggiorno CE"),
            std::string::npos);
  EXPECT_NE(doc.text.find("A Morbegno il corso serale del martedì ha portato al test 22 "
                          "corsisti, e 19 lo hanno superato al primo tentativo."),
            std::string::npos);
  EXPECT_EQ(doc.text.find('<'), std::string::npos) << "no markup in the text";
  EXPECT_FALSE(doc.text_truncated);
}

TEST(OoxmlExtractor, DocxTableGivesEachCellInTurn) {
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(result.value().text.find("Comprensione orale\n\nAscoltare brevi annunci e dialoghi "
                                     "e scegliere la risposta corretta\n\n25 minuti"),
            std::string::npos);
}

TEST(OoxmlExtractor, DocxOfAnInstitutionKeepsItsHeaderAsHeading) {
  auto result = ExtractSample("normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title,
            "Regolamento comunale per il rilascio dell'attestazione di idoneità alloggiativa");
  EXPECT_EQ(doc.date, "2011-05-30");
  EXPECT_EQ(doc.authors, std::vector<std::string>{
                             "Comune di Lodi - Settore Servizi alla Persona e Settore Urbanistica"});
  EXPECT_NE(doc.text.find("Approvato con deliberazione del Consiglio comunale n. 58 del 30 "
                          "maggio 2011."),
            std::string::npos);
}

TEST(OoxmlExtractor, MemberOverLimitIsRefusedNamingTheEntry) {
  Limits limits;
  limits.max_member_bytes = 1000;  // word/document.xml is larger
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx", limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("ZIP entry '"), std::string::npos)
      << result.status().message();
}

TEST(OoxmlExtractor, ExpansionOverLimitIsRefused) {
  Limits limits;
  limits.max_expanded_bytes = 4096;
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx", limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("4096"), std::string::npos)
      << result.status().message();
}

TEST(OoxmlExtractor, TextIsCutAtTheTextLimit) {
  Limits limits;
  limits.max_text_bytes = 200;
  auto result = ExtractSample("dispense/test-lingua-italiana-livello-a2.docx", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result.value().text_truncated);
  EXPECT_LE(result.value().text.size(), 200u);
  EXPECT_GT(result.value().text.size(), 100u);
}

TEST(OoxmlExtractor, DocxFormKeepsTableCellsHeaderAndFooter) {
  auto result = ExtractSample("strumenti/modulo-richiesta-mediazione.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Modulo di richiesta di mediazione linguistico-culturale");
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Comune di Lecco – Settore Politiche Sociali"});
  EXPECT_EQ(doc.date, "2019-09-02");
  EXPECT_EQ(doc.metadata.at("keywords"), "mediazione, intercultura, modulo, Lecco");
  for (const char* cell : {"Indirizzo di posta elettronica", "Numero di persone presenti",
                           "Visto del responsabile del servizio",
                           "☐ Colloquio telefonico o in videochiamata",
                           "Il mediatore linguistico-culturale è tenuto al segreto professionale",
                           "Comune di Lecco – Settore Politiche Sociali – Ufficio Intercultura",
                           "Mod. MLC-01 – revisione settembre 2019"}) {
    EXPECT_NE(doc.text.find(std::string("\n") + cell), std::string::npos) << cell;
  }
}

TEST(OoxmlExtractor, DocxInRomanianDeclaresItsLanguage) {
  auto result = ExtractSample("strumenti/opuscolo-ssn-ro.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Cum să te înscrii la Serviciul Sanitar Național");
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Regione Lombardia – DG Welfare"});
  EXPECT_EQ(doc.date, "2020-06-15");
  EXPECT_EQ(doc.declared_lang, "ro-RO");
  EXPECT_EQ(doc.lang, "ro");
  EXPECT_NE(doc.text.find("Medicii și asistentele nu te denunță la poliție."), std::string::npos);
}

TEST(OoxmlExtractor, HostileBillionLaughsKeepsTheOtherParagraphs) {
  auto result = ExtractSample("hostile/billion-laughs.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_NE(doc.text.find("Paragrafo normale prima della bomba: parola chiave di controllo "
                          "papavero.\n\nParagrafo normale dopo la bomba."),
            std::string::npos)
      << doc.text;
  EXPECT_EQ(doc.text.find("lol"), std::string::npos) << "the entity reference is dropped";
  ASSERT_FALSE(doc.warnings.empty());
  EXPECT_NE(doc.warnings[0].find("DTD"), std::string::npos) << doc.warnings[0];
}

TEST(OoxmlExtractor, PptxSlidesGivePageBreaksInOrder) {
  auto result = ExtractSample("presentazioni/decreto-flussi-ingresso-per-lavoro.pptx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Il decreto flussi: dalla domanda di nulla osta al contratto di soggiorno");
  EXPECT_EQ(doc.heading, doc.title) << "the title placeholder of slide 1";
  EXPECT_EQ(doc.authors, std::vector<std::string>{
                             "Giorgio Brambilla - Prefettura di Milano, Sportello Unico per "
                             "l\u2019Immigrazione"});
  EXPECT_EQ(doc.date, "2011-02-14");
  EXPECT_EQ(doc.metadata.at("slides"), "7");
  ASSERT_EQ(doc.pages.size(), 7u);
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    EXPECT_EQ(doc.pages[i].number, static_cast<int>(i + 1));
  }
  EXPECT_EQ(doc.pages[0].offset, 0u);
  size_t at = doc.text.find("Nel click day del 31 gennaio 2011 la Prefettura di Milano ha "
                            "ricevuto oltre 36.000 domande.");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(at, doc.pages[4].offset);
  EXPECT_LT(at, doc.pages[5].offset) << "the sentence is on slide 5";
  EXPECT_EQ(doc.text.substr(doc.pages[4].offset, 25), "Il contratto di soggiorno");
  size_t cited = doc.text.find("art. 22, comma 2, del D.Lgs. 286/1998");
  ASSERT_NE(cited, std::string::npos);
  EXPECT_GE(cited, doc.pages[2].offset);
  EXPECT_LT(cited, doc.pages[3].offset) << "cited on slide 3";
}

TEST(OoxmlExtractor, XlsxSheetsRowsAndDateCells) {
  auto result = ExtractSample("formazione/registro-presenze-corsi-2012.xlsx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Registro presenze dei corsi di formazione 2012");
  EXPECT_EQ(doc.authors, std::vector<std::string>{
                             "Ufficio formazione - Rete regionale sportelli immigrazione"});
  EXPECT_EQ(doc.date, "2013-01-15");
  EXPECT_EQ(doc.metadata.at("sheets"), "2");
  EXPECT_EQ(doc.text.rfind("Presenze 2012\nProvincia\tCorso\tModulo\tData\tSede\t", 0), 0u);
  // D2 is the serial day 40947 with format DD/MM/YYYY.
  EXPECT_NE(doc.text.find("\nMilano\tOrientarsi nei servizi\tModulo 1 - Permesso di soggiorno e "
                          "Questura\t2012-02-08\t"),
            std::string::npos);
  EXPECT_NE(doc.text.find("\tSala consiliare di Chiavenna\t12\t11\t6\t"), std::string::npos);
  EXPECT_NE(doc.text.find("\n\nRiepilogo per provincia\n"), std::string::npos);
  EXPECT_NE(doc.text.find("\nTotale Lombardia\t25\t573\t104\t2267"), std::string::npos);
}

// ---- Built in memory -----------------------------------------------------------------

TEST(OoxmlExtractor, DocxWithoutDocumentPartIsAClearError) {
  std::string bytes = StoredZip({
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", Rels({{"officeDocument", "word/document.xml"}})},
      {"word/styles.xml", std::string("<w:styles ") + kW + "/>"},
  });
  auto result = ExtractBytes(bytes, "vuoto.docx");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(result.status().message().find("word/document.xml is missing"), std::string::npos)
      << result.status().message();
}

TEST(OoxmlExtractor, DamagedZipIsCorrupt) {
  std::string bytes = Docx("<w:p><w:r><w:t>testo</w:t></w:r></w:p>");
  bytes.resize(bytes.size() / 2);
  auto result = ExtractBytes(bytes, "troncato.docx");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt) << result.status().ToString();
}

TEST(OoxmlExtractor, MalformedDocumentXmlIsCorrupt) {
  std::string bytes = Docx("<w:p><w:r><w:t>non chiuso</w:r></w:p>");
  auto result = ExtractBytes(bytes, "rotto.docx");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(result.status().message().find("word/document.xml"), std::string::npos);
}

// Only the XML and relationship parts are inflated: a picture is never read, so it cannot
// fail the document, while a damaged part that is read still does.
TEST(OoxmlExtractor, DamagedPictureDoesNotFailTheDocument) {
  const std::string kPicture = "\x89PNG\r\n\x1a\n" + std::string(4000, 'p') + "fine";
  const std::string kBody = "<w:p><w:r><w:t>Testo accanto alla foto</w:t></w:r></w:p>";
  std::string bytes = Docx(kBody, {{"word/media/image1.png", kPicture}});
  DamageStoredData(bytes, kPicture);
  auto result = ExtractBytes(bytes, "foto.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Testo accanto alla foto");

  bytes = Docx(kBody, {{"word/media/image1.png", kPicture}});
  DamageStoredData(bytes, "Testo accanto alla foto");
  auto damaged = ExtractBytes(bytes, "foto.docx");
  ASSERT_FALSE(damaged.ok()) << "word/document.xml is read, so its damage counts";
  EXPECT_EQ(damaged.status().code(), StatusCode::kCorrupt) << damaged.status().ToString();
}

TEST(OoxmlExtractor, PictureOverTheLimitsDoesNotFailTheDocument) {
  Limits limits;
  limits.max_member_bytes = 2000;
  limits.max_expanded_bytes = 3000;
  std::string bytes = Docx("<w:p><w:r><w:t>Testo accanto alla foto</w:t></w:r></w:p>",
                           {{"word/media/image1.jpeg", std::string(50000, 'j')}});
  auto result = ExtractBytes(bytes, "foto.docx", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Testo accanto alla foto");
}

TEST(OoxmlExtractor, BillionLaughsIsNeverExpanded) {
  std::string doctype = "<!DOCTYPE w:document [<!ENTITY lol \"lol\">";
  doctype += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i <= 9; ++i) {
    std::string previous = "&lol" + std::to_string(i - 1) + ";";
    doctype += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doctype += previous;
    doctype += "\">";
  }
  doctype += "]>";
  std::string document = "<?xml version=\"1.0\"?>" + doctype + "<w:document " + kW +
                         "><w:body><w:p><w:r><w:t>prima &lol9; dopo</w:t></w:r></w:p>"
                         "</w:body></w:document>";
  std::string bytes = StoredZip({
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", Rels({{"officeDocument", "word/document.xml"}})},
      {"word/document.xml", document},
  });
  auto result = ExtractBytes(bytes, "risate.docx");
  if (result.ok()) {
    EXPECT_LT(result.value().text.size(), 1000u);
    EXPECT_EQ(result.value().text.find("lollol"), std::string::npos);
    EXPECT_NE(result.value().text.find("prima"), std::string::npos);
  } else {
    EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  }
}

TEST(OoxmlExtractor, DocxRunsTabsBreaksAndRevisions) {
  std::string bytes = Docx(
      "<w:p><w:r><w:t xml:space=\"preserve\">Sportello </w:t></w:r>"
      "<w:r><w:t>Stranieri</w:t><w:tab/><w:t>Lodi</w:t><w:br/><w:t>Piazza Mercato</w:t></w:r>"
      "<w:del><w:r><w:delText>testo cancellato</w:delText></w:r></w:del>"
      "<w:ins><w:r><w:t xml:space=\"preserve\"> 5</w:t></w:r></w:ins></w:p>"
      "<w:p/>"
      "<w:p><w:hyperlink><w:r><w:t>Secondo paragrafo</w:t></w:r></w:hyperlink></w:p>");
  auto result = ExtractBytes(bytes, "prova.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text,
            "Sportello Stranieri\tLodi\nPiazza Mercato 5\n\nSecondo paragrafo");
}

TEST(OoxmlExtractor, DocxHeadingComesFromALocalisedStyleName) {
  std::string styles = std::string("<w:styles ") + kW +
                       "><w:style w:type=\"paragraph\" w:styleId=\"Intestazione1\">"
                       "<w:name w:val=\"heading 1\"/></w:style></w:styles>";
  std::string bytes = Docx(
      "<w:p><w:r><w:t>Premessa senza stile</w:t></w:r></w:p>"
      "<w:p><w:pPr><w:pStyle w:val=\"Intestazione1\"/></w:pPr>"
      "<w:r><w:t>Il titolo vero</w:t></w:r></w:p>"
      "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Secondo</w:t></w:r></w:p>",
      {{"word/_rels/document.xml.rels", Rels({{"styles", "styles.xml"}})},
       {"word/styles.xml", styles}});
  auto result = ExtractBytes(bytes, "titolo.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().heading, "Il titolo vero");
  EXPECT_EQ(result.value().title, "Il titolo vero");
  EXPECT_EQ(result.value().title_source, "heading");
}

TEST(OoxmlExtractor, DocxCorePropertiesWithSeveralAuthors) {
  std::string core =
      "<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
      "<dc:title>Scheda</dc:title><dc:creator>Anna Bianchi; Mario Rossi</dc:creator>"
      "<dcterms:created>2014-02-03T10:00:00Z</dcterms:created><dc:language>it-IT</dc:language>"
      "<dc:description>Note</dc:description></cp:coreProperties>";
  std::string bytes = Docx("<w:p><w:r><w:t>Testo</w:t></w:r></w:p>",
                           {{"docProps/core.xml", core}});
  auto result = ExtractBytes(bytes, "scheda.docx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Scheda");
  EXPECT_EQ(doc.authors, (std::vector<std::string>{"Anna Bianchi", "Mario Rossi"}));
  EXPECT_EQ(doc.date, "2014-02-03");
  EXPECT_EQ(doc.declared_lang, "it-IT");
  EXPECT_EQ(doc.metadata.at("description"), "Note");
}

TEST(OoxmlExtractor, XlsxSheetsInWorkbookOrderWithCellsSeparatedByTabs) {
  const std::string kS = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const std::string kR =
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  std::string bytes = StoredZip({
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", Rels({{"officeDocument", "xl/workbook.xml"}})},
      {"xl/workbook.xml", "<workbook " + kS + " " + kR + "><sheets>"
                          "<sheet name=\"Presenze\" sheetId=\"1\" r:id=\"rId2\"/>"
                          "<sheet name=\"Corsi\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels", Rels({{"worksheet", "worksheets/sheet2.xml"},
                                           {"worksheet", "worksheets/sheet1.xml"},
                                           {"sharedStrings", "sharedStrings.xml"}})},
      {"xl/sharedStrings.xml", "<sst " + kS + "><si><t>Nome</t></si><si><t>Ore</t></si>"
                               "<si><r><t>Fatima </t></r><r><t>El Amrani</t></r></si></sst>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet " + kS + "><sheetData>"
       "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
       "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>12.5</v></c></row>"
       "</sheetData></worksheet>"},
      {"xl/worksheets/sheet2.xml",
       "<worksheet " + kS + "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
       "<is><t>Italiano A2</t></is></c><c r=\"B1\" t=\"b\"><v>1</v></c></row>"
       "</sheetData></worksheet>"},
  });
  auto result = ExtractBytes(bytes, "registro.xlsx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text,
            "Presenze\nNome\tOre\nFatima El Amrani\t12.5\n\nCorsi\nItaliano A2\tTRUE");
  EXPECT_EQ(result.value().metadata.at("sheets"), "2");
}

TEST(OoxmlExtractor, PptxSlidesInPresentationOrderWithPageBreaksAndNotes) {
  const std::string kP =
      "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
      "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  auto shape = [](const std::string& placeholder, const std::string& paragraphs) {
    return "<p:sp><p:nvSpPr><p:nvPr>" +
           (placeholder.empty() ? "" : "<p:ph type=\"" + placeholder + "\"/>") +
           "</p:nvPr></p:nvSpPr><p:txBody>" + paragraphs + "</p:txBody></p:sp>";
  };
  auto slide = [&](const std::string& shapes) {
    return "<p:sld " + kP + "><p:cSld><p:spTree>" + shapes + "</p:spTree></p:cSld></p:sld>";
  };
  std::string bytes = StoredZip({
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", Rels({{"officeDocument", "ppt/presentation.xml"}})},
      // The second slide file comes first: order is the presentation's, not the names'.
      {"ppt/presentation.xml", "<p:presentation " + kP + "><p:sldIdLst>"
                               "<p:sldId id=\"256\" r:id=\"rId1\"/>"
                               "<p:sldId id=\"257\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>"},
      {"ppt/_rels/presentation.xml.rels",
       Rels({{"slide", "slides/slide2.xml"}, {"slide", "slides/slide1.xml"}})},
      {"ppt/slides/slide2.xml",
       slide(shape("ctrTitle", "<a:p><a:r><a:t>Abitare sociale</a:t></a:r></a:p>") +
             shape("", "<a:p><a:r><a:t>Prima riga</a:t></a:r><a:br/>"
                       "<a:r><a:t>seconda riga</a:t></a:r></a:p>") +
             shape("sldNum", "<a:p><a:fld><a:t>1</a:t></a:fld></a:p>"))},
      {"ppt/slides/_rels/slide2.xml.rels", Rels({{"notesSlide", "../notesSlides/notes1.xml"}})},
      {"ppt/notesSlides/notes1.xml",
       "<p:notes " + kP + "><p:cSld><p:spTree>" + shape("sldImg", "") +
           shape("body", "<a:p><a:r><a:t>Nota per chi parla</a:t></a:r></a:p>") +
           "</p:spTree></p:cSld></p:notes>"},
      {"ppt/slides/slide1.xml",
       slide(shape("title", "<a:p><a:r><a:t>Chi siamo</a:t></a:r></a:p>"))},
  });
  auto result = ExtractBytes(bytes, "slide.pptx");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.text,
            "Abitare sociale\n\nPrima riga\nseconda riga\n\nNota per chi parla\n\nChi siamo");
  EXPECT_EQ(doc.metadata.at("slides"), "2");
  EXPECT_EQ(doc.heading, "Abitare sociale");
  ASSERT_EQ(doc.pages.size(), 2u);
  EXPECT_EQ(doc.pages[0].number, 1);
  EXPECT_EQ(doc.pages[0].offset, 0u);
  EXPECT_EQ(doc.pages[1].number, 2);
  EXPECT_EQ(doc.text.substr(doc.pages[1].offset), "Chi siamo");
}

}  // namespace
}  // namespace correlare::extractors
