#include "extractors/mime_detector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.h"

namespace correlare::extractors {
namespace {

using correlare::testing::CorpusPath;

std::string Read(const std::string& relative) {
  std::ifstream in(CorpusPath(relative), std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct MimeCase {
  const char* file;
  const char* mime;
};

TEST(DetectMime, FindsTheTypeOfEverySampleFormatByContent) {
  const MimeCase cases[] = {
      {"dispense/accesso-ssn-tessera-sanitaria-stp.pdf", "application/pdf"},
      {"normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"formazione/registro-presenze-corsi-2012.xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"presentazioni/decreto-flussi-ingresso-per-lavoro.pptx",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"normativa/delibera-provinciale-mediazione-linguistico-culturale-brescia.odt",
       "application/vnd.oasis.opendocument.text"},
      {"formazione/questionari-valutazione-formazione-2013.ods",
       "application/vnd.oasis.opendocument.spreadsheet"},
      {"presentazioni/scuola-e-famiglie-straniere-comunicare.odp",
       "application/vnd.oasis.opendocument.presentation"},
      {"strumenti/glossario-immigrazione.html", "text/html"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "text/plain"},
      {"trascrizioni/lezione-modulo-3-lavoro-stranieri.srt", "application/x-subrip"},
      {"trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt", "text/vtt"},
      {"bundle/kit-accoglienza.zip", "application/zip"},
      {"bundle/materiali-modulo-2.tar.gz", "application/gzip"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectMime(Read(c.file), c.file), c.mime) << c.file;
  }
}

TEST(DetectMime, ContentWinsOverTheExtension) {
  EXPECT_EQ(DetectMime(Read("hostile/wrong-extension.docx"), "wrong-extension.docx"),
            "application/pdf");
  EXPECT_EQ(DetectMime(Read("hostile/wrong-extension.pdf"), "wrong-extension.pdf"),
            "text/plain");
  // An SRT renamed .txt is still a subtitle file.
  EXPECT_EQ(DetectMime(Read("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt"), "lezione.txt"),
            "application/x-subrip");
}

TEST(DetectMime, UnknownBytesAreOctetStream) {
  EXPECT_EQ(DetectMime(Read("hostile/random.bin"), "random.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace correlare::extractors
