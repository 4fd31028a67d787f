#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "extractors/registry.h"
#include "test_support.h"

namespace correlare::extractors {
namespace {

using correlare::testing::CorpusPath;

Result<ExtractedDocument> ExtractCorpus(const std::string& relative, const Limits& limits = {}) {
  return ExtractorRegistry::WithDefaults()->ExtractFile(CorpusPath(relative).string(), limits);
}

Result<ExtractedDocument> ExtractBytes(const std::string& bytes, const std::string& name,
                                       const Limits& limits = {}) {
  return ExtractorRegistry::WithDefaults()->Extract(bytes, name, limits);
}

struct CharsetCase {
  const char* file;
  const char* charset;   // as reported in metadata["charset"]
  const char* sentence;  // must appear exactly in the text
};

// Facts from corpus-samples/MANIFEST.md.
TEST(PlainTextExtractor, DecodesEachCharsetExactly) {
  const CharsetCase cases[] = {
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "windows-1252",
       "Lo sportello aiuta a compilare il “kit postale” per il rinnovo del permesso di "
       "soggiorno"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "windows-1252",
       "la marca da bollo da 16 €"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "windows-1252",
       "un appuntamento in Questura…"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "windows-1252",
       "30 € per la spedizione della raccomandata – da pagare all’ufficio postale."},
      {"strumenti/verbale-tavolo-intercultura-latin1.txt", "iso-8859-1",
       "La priorità sarà la città di Vigevano, dove è più alta la percentuale di alunni di "
       "cittadinanza non italiana."},
      {"strumenti/verbale-tavolo-intercultura-latin1.txt", "iso-8859-1",
       "(Piazza Italia, 2° piano)"},
      {"strumenti/calendario-corsi-italiano-bom.txt", "utf-8",
       "Preparazione al test A2 per il permesso di lungo periodo: sabato, 9.00–12.00"},
      {"strumenti/calendario-corsi-italiano-bom.txt", "utf-8",
       "Il costo dei libri di testo (circa 15 €)"},
      {"strumenti/promemoria-ricongiungimento-utf16.txt", "utf-16le",
       "Il certificato di idoneità alloggiativa è rilasciato dall'Ufficio tecnico del Comune "
       "di Como dopo un sopralluogo."},
      {"trascrizioni/incontro-formazione-sportello-anagrafe.txt", "utf-8",
       "la residenza non è un premio: è la porta d'accesso ai diritti"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto result = ExtractCorpus(c.file);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const ExtractedDocument& doc = result.value();
    EXPECT_EQ(doc.metadata.at("charset"), c.charset);
    EXPECT_NE(doc.text.find(c.sentence), std::string::npos) << doc.text.substr(0, 400);
    EXPECT_EQ(doc.text.find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD in the text";
    EXPECT_EQ(doc.text.find('\r'), std::string::npos);
    EXPECT_EQ(doc.text.find("\xEF\xBB\xBF"), std::string::npos) << "BOM kept in the text";
    EXPECT_FALSE(doc.text_truncated);
  }
}

struct CorpusHeading {
  const char* file;
  const char* heading;
};

TEST(PlainTextExtractor, TakesTheCorpusFirstLinesAsHeadings) {
  const CorpusHeading cases[] = {
      {"trascrizioni/lezione-italiano-l2-adulti-cpia.txt", "TRASCRIZIONE DELLA LEZIONE"},
      {"trascrizioni/incontro-formazione-sportello-anagrafe.txt",
       "Trascrizione dell'incontro di formazione"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt",
       "COMUNE DI BERGAMO – SPORTELLO STRANIERI"},
      {"strumenti/verbale-tavolo-intercultura-latin1.txt", "PROVINCIA DI PAVIA"},
      {"strumenti/calendario-corsi-italiano-bom.txt",
       "CPIA DI SONDRIO – Centro provinciale per l'istruzione degli adulti"},
      {"strumenti/promemoria-ricongiungimento-utf16.txt",
       "Promemoria – Ricongiungimento familiare (Comune di Como, Sportello Immigrazione)"},
      {"strumenti/opuscolo-ssn-en.txt", "How to register with the National Health Service"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto result = ExtractCorpus(c.file);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result.value().heading, c.heading);
    EXPECT_EQ(result.value().title, c.heading);
    EXPECT_EQ(result.value().title_source, "heading");
  }
}

TEST(PlainTextExtractor, KeepsParagraphBreaks) {
  auto result = ExtractCorpus("strumenti/avviso-sportello-stranieri-cp1252.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const std::string& text = result.value().text;
  EXPECT_EQ(text.rfind("COMUNE DI BERGAMO – SPORTELLO STRANIERI\nAvviso agli utenti", 0), 0u)
      << text.substr(0, 200);
  EXPECT_NE(text.find("orari e costi\n\nDal 2 settembre"), std::string::npos);
}

struct HeadingCase {
  const char* text;
  const char* heading;
};

TEST(PlainTextExtractor, HeadingOnlyWhenTheFirstLineLooksLikeATitle) {
  const HeadingCase cases[] = {
      {"Orari dello sportello\n\nLo sportello apre alle 9.\n", "Orari dello sportello"},
      {"# Guida alla residenza\nLa residenza si chiede in Comune.\n", "Guida alla residenza"},
      {"Guida rapida\n============\nTesto della guida.\n", "Guida rapida"},
      {"AVVISO IMPORTANTE\nDal lunedì lo sportello è chiuso.\n", "AVVISO IMPORTANTE"},
      {"Corso di italiano L2\nCPIA di Sondrio – 2023\n\nIl corso è gratuito.\n",
       "Corso di italiano L2"},
      // A sentence, wrapped prose, a list of fields, a lone line: no heading.
      {"Lo sportello apre alle 9.\n\nChiude alle 12.\n", ""},
      {"Il ricongiungimento familiare e' regolato dall'articolo 29 del Testo\nunico e "
       "richiede il nulla osta della Prefettura.\n",
       ""},
      {"nome;cognome;data;comune\nAmina;Diallo;2019;Lodi\n", ""},
      {"Solo una riga di testo senza altro\n", ""},
      {"A\n\nTesto.\n", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto result = ExtractBytes(c.text, "nota.txt");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result.value().heading, c.heading);
  }
}

TEST(PlainTextExtractor, DecodesWindows1252Bytes) {
  // “Prenotazione” – 16 € in Windows-1252, which is not valid UTF-8.
  std::string bytes = "Avviso\n\n\x93Prenotazione\x94 \x96 16 \x80, caff\xE8.\r\n";
  auto result = ExtractBytes(bytes, "avviso.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().metadata.at("charset"), "windows-1252");
  EXPECT_EQ(result.value().text, "Avviso\n\n“Prenotazione” – 16 €, caffè.");
}

TEST(PlainTextExtractor, DamagedUtf8StaysUtf8) {
  // hostile/invalid-utf8.txt: lone 0xFF, truncated and overlong sequences, a surrogate.
  auto result = ExtractCorpus("hostile/invalid-utf8.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.metadata.at("charset"), "utf-8");
  EXPECT_NE(doc.text.find("La città di Varese offre corsi di italiano gratuiti per adulti."),
            std::string::npos);
  EXPECT_NE(doc.text.find("Le iscrizioni si chiudono venerdì: portate il permesso di soggiorno."),
            std::string::npos);
}

TEST(PlainTextExtractor, Windows1252WithAStrayUtf8LookalikeStaysWindows1252) {
  // "PERCHÉ”" is É (0xC9) then ” (0x94): by chance a valid UTF-8 pair. The many other
  // accented letters are not, so the text is still Windows-1252.
  std::string bytes = "\x93PERCH\xC9\x94 chiese. ";
  for (int i = 0; i < 5; ++i) bytes += "La citt\xE0 \xE8 pi\xF9 bella, perch\xE9 s\xEC. ";
  auto result = ExtractBytes(bytes, "nota.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().metadata.at("charset"), "windows-1252");
  EXPECT_EQ(result.value().text.rfind("“PERCHÉ” chiese. La città è più bella, perché sì.", 0), 0u)
      << result.value().text;
}

TEST(PlainTextExtractor, DecodesUtf16LittleEndianWithBom) {
  std::string bytes("\xFF\xFE", 2);
  for (char c : std::string("Citt\xE0 e caff\xE8")) {
    bytes += c;
    bytes += '\0';
  }
  auto result = ExtractBytes(bytes, "nota.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().metadata.at("charset"), "utf-16le");
  EXPECT_EQ(result.value().text, "Città e caffè");
}

TEST(PlainTextExtractor, JudgesAgainWhenNonAsciiComesLate) {
  // 300 KB of ASCII, then Windows-1252: the start alone looks like UTF-8.
  std::string bytes(300 * 1024, 'a');
  bytes += "\nperch\xE9 la citt\xE0 \x80\n";
  auto result = ExtractBytes(bytes, "tardi.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().metadata.at("charset"), "windows-1252");
  EXPECT_NE(result.value().text.find("perché la città €"), std::string::npos);
}

TEST(PlainTextExtractor, FormFeedBecomesParagraphBreak) {
  auto result = ExtractBytes("Pagina uno.\fPagina due.\n", "stampa.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Pagina uno.\n\nPagina due.");
}

TEST(PlainTextExtractor, CapsTextAtTheLimit) {
  Limits limits;
  limits.max_text_bytes = 1000;
  std::string bytes;
  while (bytes.size() < 5000) bytes += "La città è più bella d'estate. ";
  auto result = ExtractBytes(bytes, "lungo.txt", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_TRUE(doc.text_truncated);
  EXPECT_LE(doc.text.size(), 1000u);
  EXPECT_GE(doc.text.size(), 990u);
  EXPECT_EQ(doc.text.rfind("La città è più bella d'estate.", 0), 0u);
  ASSERT_FALSE(doc.warnings.empty());
  EXPECT_NE(doc.warnings[0].find("truncated"), std::string::npos);
}

TEST(PlainTextExtractor, ShortTextIsNotMarkedTruncated) {
  auto result = ExtractBytes("Breve nota.\n", "breve.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(result.value().text_truncated);
  EXPECT_TRUE(result.value().warnings.empty());
}

// The hostile "50 MB on one line" file (corpus-samples/hostile/make-large-line.py),
// built in memory: it must be cut at the limit quickly, not read whole.
TEST(PlainTextExtractor, HugeSingleLineIsCutInBoundedTime) {
  std::string bytes = "INIZIO-RIGA-LUNGA ";
  const std::string segment =
      "segmento 0000001: permesso di soggiorno, mediazione interculturale, sportello stranieri; ";
  while (bytes.size() < (50u << 20)) bytes += segment;
  bytes += " FINE-RIGA-LUNGA";

  Limits limits;  // default max_text_bytes: 16 MiB
  auto start = std::chrono::steady_clock::now();
  auto result = ExtractBytes(bytes, "riga-lunga.txt", limits);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_TRUE(doc.text_truncated);
  EXPECT_LE(doc.text.size(), limits.max_text_bytes);
  EXPECT_GT(doc.text.size(), limits.max_text_bytes - 1024);
  EXPECT_EQ(doc.text.rfind("INIZIO-RIGA-LUNGA segmento 0000001: permesso", 0), 0u);
  EXPECT_EQ(doc.text.find("FINE-RIGA-LUNGA"), std::string::npos);
  EXPECT_LT(seconds, 60.0);  // generous: a sanitized debug build; ~1 s in release
}


TEST(PlainTextExtractor, ReadsATextThatLibmagicTakesForAnotherFormat) {
  // libmagic calls any text that starts with "PA" HP-GL plotter code.
  std::string notice = "PASSAPORTO E PERMESSO DI SOGGIORNO\n\nPer il rinnovo serve il passaporto "
                       "valido e la ricevuta postale.\n";
  auto result = ExtractBytes(notice, "avviso.txt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().mime, "text/plain");
  EXPECT_NE(result.value().text.find("ricevuta postale"), std::string::npos);
  // Bytes with NULs stay unsupported whatever libmagic says.
  auto binary = ExtractBytes(std::string("PA\0\x01\x02binary", 11), "dati.bin");
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace correlare::extractors
