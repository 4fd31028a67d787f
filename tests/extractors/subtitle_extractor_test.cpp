#include <gtest/gtest.h>

#include <algorithm>
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

std::string TextOf(const ExtractedDocument& doc, const Cue& cue) {
  return doc.text.substr(cue.offset, cue.length);
}

// The cue starting at `start_ms`, or nullptr.
const Cue* CueAt(const ExtractedDocument& doc, int64_t start_ms) {
  for (const Cue& cue : doc.cues) {
    if (cue.start_ms == start_ms) return &cue;
  }
  return nullptr;
}

// Every cue lies inside the text, in order, on a line of its own.
void ExpectCuesWellFormed(const ExtractedDocument& doc) {
  uint64_t previous_end = 0;
  for (const Cue& cue : doc.cues) {
    EXPECT_LE(cue.start_ms, cue.end_ms);
    EXPECT_GE(cue.offset, previous_end);
    ASSERT_LE(cue.offset + cue.length, doc.text.size());
    EXPECT_GT(cue.length, 0u);
    EXPECT_TRUE(cue.offset == 0 || doc.text[cue.offset - 1] == '\n');
    previous_end = cue.offset + cue.length;
  }
}

struct CorpusCue {
  const char* file;
  int64_t start_ms;
  int64_t end_ms;
  const char* text;  // the whole cue text, its lines joined by a space
};

// Facts from corpus-samples/MANIFEST.md (cue start times there are to the second).
TEST(SubtitleExtractor, ReadsCorpusCuesAtKnownTimes) {
  const CorpusCue cases[] = {
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", 3200, 8780,
       "Buongiorno a tutti e benvenuti al terzo modulo del corso: «Il lavoro degli stranieri»."},
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", 425000, 608000,
       "[Proiezione del video «Storie di lavoro» – durata circa 3 minuti]"},
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", 185100, 189975,
       "- Scusi, e se il permesso è scaduto e la persona ha già chiesto il rinnovo?"},
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", 794500, 798400,
       "Ci vediamo tra dieci minuti per il lavoro di gruppo. Grazie."},
      // CRLF; <i>…</i> around cue 7, <b>…</b> inside cue 18.
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", 2500, 9390,
       "Buonasera. Sono Fatima El Idrissi, lavoro come mediatrice interculturale all'ASST di "
       "Cremona da nove anni."},
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", 47800, 55015,
       "In quel momento il mio compito era spiegare all'ostetrica, e poi alla donna, perché "
       "quella domanda era urgente."},
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", 137800, 141505,
       "Ai pazienti lo ripeto sempre: il medico non è la polizia."},
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", 152200, 159350,
       "Al consultorio di Casalmaggiore abbiamo fissato un pomeriggio a settimana con la "
       "mediatrice di lingua punjabi."},
      // Cue identifiers ("tutori-3") and cue settings after the timing.
      {"trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt", 150400, 157900,
       "In Lombardia gli elenchi sono tenuti dai Tribunali per i minorenni di Milano e di "
       "Brescia, dopo un corso organizzato dal Garante regionale."},
      {"trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt", 245200, 252700,
       "[Domanda dalla chat] Un operatore di Busto Arsizio chiede: chi paga le spese della "
       "comunità per un minore arrivato da solo?"},
      // <v Speaker> kept as "Speaker: ".
      {"trascrizioni/tavola-rotonda-abitare-e-accoglienza.vtt", 135800, 143300,
       "Paolo Ferrario: Abbiamo istituito una via fittizia, come prevede la normativa "
       "anagrafica, per garantire la residenza anche a chi vive in strada o in dormitorio."},
      {"trascrizioni/tavola-rotonda-abitare-e-accoglienza.vtt", 100300, 107800,
       "Giulia Rinaldi: Facciamo incontrare domanda e offerta. Al proprietario offriamo un "
       "contratto a canone concordato, con vantaggi fiscali e la garanzia del fondo."},
  };
  auto registry = ExtractorRegistry::WithDefaults();
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " @" + std::to_string(c.start_ms));
    auto result = registry->ExtractFile(CorpusPath(c.file).string(), Limits{});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const ExtractedDocument& doc = result.value();
    EXPECT_TRUE(doc.warnings.empty()) << doc.warnings.front();
    ExpectCuesWellFormed(doc);
    const Cue* cue = CueAt(doc, c.start_ms);
    ASSERT_NE(cue, nullptr);
    EXPECT_EQ(cue->end_ms, c.end_ms);
    EXPECT_EQ(TextOf(doc, *cue), c.text);
  }
}

struct CorpusFile {
  const char* file;
  const char* mime;
  size_t cues;
};

TEST(SubtitleExtractor, FindsEveryCorpusCue) {
  const CorpusFile cases[] = {
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", "application/x-subrip", 54},
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", "application/x-subrip", 23},
      {"trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt", "text/vtt", 26},
      {"trascrizioni/tavola-rotonda-abitare-e-accoglienza.vtt", "text/vtt", 25},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto result = ExtractCorpus(c.file);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const ExtractedDocument& doc = result.value();
    EXPECT_EQ(doc.mime, c.mime);
    EXPECT_EQ(doc.cues.size(), c.cues);
    EXPECT_EQ(doc.metadata.at("cues"), std::to_string(c.cues));
    EXPECT_EQ(doc.metadata.at("charset"), "utf-8");
    for (const char* markup : {"<v", "</v>", "<i>", "<b>", "-->", "\r"}) {
      EXPECT_EQ(doc.text.find(markup), std::string::npos) << markup;
    }
  }
}

TEST(SubtitleExtractor, SkipsVttHeaderNoteAndStyleBlocks) {
  auto result = ExtractCorpus("trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.heading, "Webinar minori stranieri non accompagnati (Provincia di Varese)");
  for (const char* hidden :
       {"WEBVTT", "Interruzione del collegamento audio", "background-color", "::cue", "align:start",
        "tutori-3", "intro-1", "Trascrizione del webinar del 21 marzo 2018"}) {
    EXPECT_EQ(doc.text.find(hidden), std::string::npos) << hidden;
  }
  EXPECT_EQ(doc.text.rfind("Buon pomeriggio e benvenuti al webinar", 0), 0u);
}

TEST(SubtitleExtractor, OneCuePerLine) {
  auto result = ExtractCorpus("trascrizioni/lezione-mediazione-interculturale-sanita.srt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  ASSERT_GE(doc.cues.size(), 2u);
  EXPECT_EQ(doc.text.rfind("Buonasera. Sono Fatima El Idrissi, lavoro come mediatrice "
                           "interculturale all'ASST di Cremona da nove anni.\nStasera vi racconto",
                           0),
            0u);
  EXPECT_EQ(std::count(doc.text.begin(), doc.text.end(), '\n') + 1,
            static_cast<long>(doc.cues.size()));
}

TEST(SubtitleExtractor, ParsesVttVariants) {
  const std::string vtt =
      "WEBVTT\n"
      "Kind: captions\n"
      "Language: it\n"
      "\n"
      "REGION\nid:basso\nwidth:40%\n\n"
      "NOTE una nota\nsu due righe\n\n"
      "01:02.500 --> 01:04.000 line:0 position:20%\n"
      "<c.giallo>Testo</c> con <b>tag</b> &amp; entità&nbsp;varie &lt;3\n"
      "\n"
      "saluto\n"
      "1:00:00.000 --> 1:00:01.250\n"
      "<v.forte Amina Diallo>Buongiorno</v> <00:00:00.500>a tutti\n";
  auto result = ExtractBytes(vtt, "sottotitoli.vtt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.mime, "text/vtt");
  EXPECT_EQ(doc.declared_lang, "it");
  ASSERT_EQ(doc.cues.size(), 2u);
  EXPECT_EQ(doc.cues[0].start_ms, 62500);
  EXPECT_EQ(doc.cues[0].end_ms, 64000);
  EXPECT_EQ(TextOf(doc, doc.cues[0]), "Testo con tag & entità varie <3");
  EXPECT_EQ(doc.cues[1].start_ms, 3600000);
  EXPECT_EQ(doc.cues[1].end_ms, 3601250);
  EXPECT_EQ(TextOf(doc, doc.cues[1]), "Amina Diallo: Buongiorno a tutti");
  EXPECT_EQ(doc.text, "Testo con tag & entità varie <3\nAmina Diallo: Buongiorno a tutti");
  EXPECT_EQ(doc.metadata.at("description"), "una nota su due righe");
}

TEST(SubtitleExtractor, ReadsWindows1252SrtWithCrlfAndOverrides) {
  const std::string srt =
      "1\r\n00:00:01,000 --> 00:00:02,500\r\n{\\an8}Perch\xE9 \x93subito\x94?\r\n\r\n"
      "2\r\n00:00:03,000 --> 00:00:04,000\r\nCosta 16 \x80.\r\n";
  auto result = ExtractBytes(srt, "lezione.srt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.mime, "application/x-subrip");
  EXPECT_EQ(doc.metadata.at("charset"), "windows-1252");
  EXPECT_EQ(doc.text, "Perché “subito”?\nCosta 16 €.");
  ASSERT_EQ(doc.cues.size(), 2u);
  EXPECT_EQ(doc.cues[0].start_ms, 1000);
  EXPECT_EQ(doc.cues[0].end_ms, 2500);
  ExpectCuesWellFormed(doc);
}

TEST(SubtitleExtractor, MalformedTimingIsAWarningNotAFailure) {
  const std::string srt =
      "1\n00:00:01,000 --> 00:00:02,000\nPrima battuta.\n\n"
      "2\n00:00:03,000 -> 00:00:04,000\nFreccia sbagliata.\n\n"
      "3\n00:00:05,000 --> 00:00:99,000\nSecondi impossibili.\n\n"
      "4\n00:00:07,000 --> 00:00:08,000\nUltima battuta.\n";
  auto result = ExtractBytes(srt, "lezione.srt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.text, "Prima battuta.\nUltima battuta.");
  ASSERT_EQ(doc.cues.size(), 2u);
  EXPECT_EQ(doc.cues[1].start_ms, 7000);
  ASSERT_EQ(doc.warnings.size(), 2u);
  EXPECT_NE(doc.warnings[0].find("line 5"), std::string::npos) << doc.warnings[0];
  EXPECT_NE(doc.warnings[1].find("00:00:99,000"), std::string::npos) << doc.warnings[1];
}

TEST(SubtitleExtractor, CueTextWithABlankLineStaysOneCue) {
  const std::string srt =
      "1\n00:00:01,000 --> 00:00:02,000\nPrima parte\n\nseconda parte.\n\n"
      "2\n00:00:03,000 --> 00:00:04,000\nAltro.\n";
  auto result = ExtractBytes(srt, "lezione.srt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result.value().cues.size(), 2u);
  EXPECT_EQ(TextOf(result.value(), result.value().cues[0]), "Prima parte seconda parte.");
}

TEST(SubtitleExtractor, NoCueAtAllIsCorrupt) {
  auto srt = ExtractBytes("1\n00:00:01,000 --> domani\nNiente.\n", "rotto.srt");
  ASSERT_FALSE(srt.ok());
  EXPECT_EQ(srt.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(srt.status().message().find("no subtitle cues found"), std::string::npos);

  auto vtt = ExtractBytes("WEBVTT\n\nNOTE solo una nota\n", "vuoto.vtt");
  ASSERT_FALSE(vtt.ok());
  EXPECT_EQ(vtt.status().code(), StatusCode::kCorrupt);
}

TEST(SubtitleExtractor, CapsTextAndKeepsCuesInside) {
  std::string srt;
  for (int i = 0; i < 200; ++i) {
    srt += std::to_string(i + 1) + "\n00:00:" + (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
           ",000 --> 00:00:" + (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) +
           ",500\nBattuta numero " + std::to_string(i) + " della lezione.\n\n";
  }
  Limits limits;
  limits.max_text_bytes = 500;
  auto result = ExtractBytes(srt, "lunga.srt", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_TRUE(doc.text_truncated);
  EXPECT_LE(doc.text.size(), 500u);
  EXPECT_GT(doc.cues.size(), 10u);
  EXPECT_LT(doc.cues.size(), 200u);
  ExpectCuesWellFormed(doc);
}

}  // namespace
}  // namespace correlare::extractors
