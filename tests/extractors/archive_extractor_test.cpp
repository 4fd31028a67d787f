#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "extractor_test_support.h"

namespace correlare::extractors {
namespace {

using namespace correlare::testing;  // ExtractSample, ExtractBytes

// A ustar archive built in memory, so that the tests need no archive library: a 512-byte
// header per file (octal fields, a checksum), the data padded to 512, two zero blocks.
class TarBuilder {
 public:
  TarBuilder& Add(const std::string& name, const std::string& data, char type = '0') {
    std::string header(512, '\0');
    name.copy(header.data(), std::min<size_t>(name.size(), 99));
    Octal(header, 100, 8, 0644);
    Octal(header, 108, 8, 0);
    Octal(header, 116, 8, 0);
    Octal(header, 124, 12, type == '0' ? data.size() : 0);
    Octal(header, 136, 12, 1546300800);  // 2019-01-01
    header[156] = type;
    std::string(
        "ustar\0"
        "00",
        8)
        .copy(header.data() + 257, 8);
    std::fill(header.begin() + 148, header.begin() + 156, ' ');
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::snprintf(header.data() + 148, 8, "%06o", sum);
    header[155] = ' ';
    bytes_ += header;
    if (type == '0') {
      bytes_ += data;
      bytes_.append((512 - data.size() % 512) % 512, '\0');
    }
    return *this;
  }
  std::string Build() const { return bytes_ + std::string(1024, '\0'); }

 private:
  static void Octal(std::string& header, size_t at, size_t width, uint64_t value) {
    std::snprintf(header.data() + at, width, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
  }
  std::string bytes_;
};

const ExtractedDocument* FindMember(const ExtractedDocument& doc, const std::string& path) {
  for (const auto& member : doc.members) {
    if (member.member_path == path) return &member;
    if (const ExtractedDocument* found = FindMember(member, path)) return found;
  }
  return nullptr;
}

size_t CountMembers(const ExtractedDocument& doc) {
  size_t count = doc.members.size();
  for (const auto& member : doc.members) count += CountMembers(member);
  return count;
}

bool HasWarningWith(const ExtractedDocument& doc, const std::string& words) {
  return std::any_of(doc.warnings.begin(), doc.warnings.end(),
                     [&](const std::string& w) { return w.find(words) != std::string::npos; });
}

std::string Paragraph(const std::string& words, size_t bytes) {
  std::string text;
  while (text.size() < bytes) text += words;
  return text.substr(0, bytes);
}

TEST(ArchiveExtractor, ReadsZipMembersAndANestedZip) {
  auto result = ExtractSample("bundle/kit-accoglienza.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_EQ(bundle.mime, "application/zip");
  EXPECT_EQ(bundle.metadata.at("members"), "5");
  EXPECT_EQ(bundle.title, "kit-accoglienza");
  EXPECT_NE(bundle.text.find("kit-accoglienza/testi/checklist-documenti.txt"), std::string::npos);

  const ExtractedDocument* checklist =
      FindMember(bundle, "kit-accoglienza/testi/checklist-documenti.txt");
  ASSERT_NE(checklist, nullptr);
  EXPECT_TRUE(checklist->status.ok()) << checklist->status.ToString();
  EXPECT_EQ(checklist->file_name, "checklist-documenti.txt");
  EXPECT_NE(checklist->text.find("la ricevuta postale va conservata con cura insieme al permesso "
                                 "scaduto"),
            std::string::npos);

  const ExtractedDocument* subtitles =
      FindMember(bundle, "kit-accoglienza/video/presentazione-sportello.srt");
  ASSERT_NE(subtitles, nullptr);
  EXPECT_EQ(subtitles->mime, "application/x-subrip");
  ASSERT_EQ(subtitles->cues.size(), 6u);
  EXPECT_EQ(subtitles->cues[2].start_ms / 1000, 11);
  EXPECT_EQ(subtitles->text.find("Lo sportello è gratuito e lavora con mediatori"),
            subtitles->cues[2].offset);

  const ExtractedDocument* nested =
      FindMember(bundle, "kit-accoglienza/allegati/modulistica.zip/informativa-privacy.txt");
  ASSERT_NE(nested, nullptr);
  EXPECT_TRUE(nested->status.ok()) << nested->status.ToString();
  EXPECT_NE(nested->text.find("I dati non sono comunicati alle forze di polizia né ad altri enti"),
            std::string::npos);
}

TEST(ArchiveExtractor, ReadsGzippedTar) {
  auto result = ExtractSample("bundle/materiali-modulo-2.tar.gz");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  ASSERT_EQ(bundle.members.size(), 3u);
  EXPECT_EQ(bundle.members[0].member_path, "materiali-modulo-2/scaletta-lezione.txt");
  EXPECT_EQ(bundle.members[1].member_path, "materiali-modulo-2/esercitazione-casi.html");
  EXPECT_NE(bundle.members[0].text.find("La sentenza della Corte costituzionale n. 44 del 2020 sul "
                                        "requisito di residenza prolungata in Lombardia."),
            std::string::npos);
  const ExtractedDocument* vtt =
      FindMember(bundle, "materiali-modulo-2/domande-dei-partecipanti.vtt");
  ASSERT_NE(vtt, nullptr);
  EXPECT_EQ(vtt->mime, "text/vtt");
  ASSERT_EQ(vtt->cues.size(), 4u);
  EXPECT_EQ(vtt->cues[3].start_ms / 1000, 21);
  EXPECT_NE(vtt->text.find("Variano da municipio a municipio: consigliate di chiedere"),
            std::string::npos);
}

TEST(ArchiveExtractor, BundleTextListsMemberPaths) {
  std::string tar = TarBuilder()
                        .Add("cartella/", "", '5')
                        .Add("cartella/uno.txt", "Primo documento.\n")
                        .Add("due.txt", "Secondo documento.\n")
                        .Build();
  auto result = ExtractBytes(tar, "pacchetto.tar");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_EQ(bundle.mime, "application/x-tar");
  EXPECT_EQ(bundle.text, "cartella/uno.txt\ndue.txt");  // the directory is not a member
  EXPECT_EQ(bundle.metadata.at("members"), "2");
  EXPECT_EQ(bundle.title, "pacchetto");
  ASSERT_EQ(bundle.members.size(), 2u);
  EXPECT_EQ(bundle.members[0].text, "Primo documento.");
  EXPECT_EQ(bundle.members[0].file_name, "uno.txt");
}

TEST(ArchiveExtractor, NestedBundlePrefixesMemberPaths) {
  std::string inner = TarBuilder().Add("dentro/nota.txt", "Nota annidata.\n").Build();
  std::string outer = TarBuilder().Add("allegati/interno.tar", inner).Build();
  auto result = ExtractBytes(outer, "esterno.tar");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument* note =
      FindMember(result.value(), "allegati/interno.tar/dentro/nota.txt");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->text, "Nota annidata.");
  EXPECT_EQ(note->file_name, "nota.txt");
}

TEST(ArchiveExtractor, MemberTooDeepIsKeptWithLimitExceeded) {
  std::string level3 = TarBuilder().Add("profondo.txt", "Troppo in fondo.\n").Build();
  std::string level2 = TarBuilder().Add("livello-3.tar", level3).Build();
  std::string level1 = TarBuilder().Add("livello-2.tar", level2).Build();
  Limits limits;
  limits.max_depth = 2;
  auto result = ExtractBytes(level1, "livello-1.tar", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // livello-2.tar is at depth 1, livello-3.tar at 2, profondo.txt would be at 3.
  const ExtractedDocument* level3_doc = FindMember(result.value(), "livello-2.tar/livello-3.tar");
  ASSERT_NE(level3_doc, nullptr);
  EXPECT_TRUE(level3_doc->status.ok());
  const ExtractedDocument* deep =
      FindMember(result.value(), "livello-2.tar/livello-3.tar/profondo.txt");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->status.code(), StatusCode::kLimitExceeded);
  EXPECT_NE(deep->status.message().find("nested too deep"), std::string::npos);
  EXPECT_TRUE(deep->text.empty());

  limits.max_depth = 3;
  auto deeper = ExtractBytes(level1, "livello-1.tar", limits);
  ASSERT_TRUE(deeper.ok());
  deep = FindMember(deeper.value(), "livello-2.tar/livello-3.tar/profondo.txt");
  ASSERT_NE(deep, nullptr);
  EXPECT_TRUE(deep->status.ok()) << deep->status.ToString();
  EXPECT_EQ(deep->text, "Troppo in fondo.");
}

TEST(ArchiveExtractor, MemberCountLimitCoversAllDepths) {
  std::string inner =
      TarBuilder().Add("a.txt", "A.\n").Add("b.txt", "B.\n").Add("c.txt", "C.\n").Build();
  std::string outer = TarBuilder()
                          .Add("primo.txt", "Primo.\n")
                          .Add("interno.tar", inner)
                          .Add("ultimo.txt", "Ultimo.\n")
                          .Build();
  Limits limits;
  limits.max_members = 4;  // primo.txt, interno.tar, a.txt, b.txt
  auto result = ExtractBytes(outer, "esterno.tar", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_EQ(CountMembers(bundle), 4u);
  EXPECT_NE(FindMember(bundle, "interno.tar/b.txt"), nullptr);
  EXPECT_EQ(FindMember(bundle, "interno.tar/c.txt"), nullptr);
  EXPECT_EQ(FindMember(bundle, "ultimo.txt"), nullptr);
  EXPECT_TRUE(HasWarningWith(bundle, "limit_exceeded"))
      << ::testing::PrintToString(bundle.warnings);
}

TEST(ArchiveExtractor, ExpansionRatioStopsReadingEarly) {
  // A tar barely shrinks, so a ratio under 1 plays the part of a zip bomb's 1000.
  TarBuilder builder;
  for (int i = 0; i < 10; ++i) {
    builder.Add("parte-" + std::to_string(i) + ".txt", Paragraph("Testo di riempimento. ", 10000));
  }
  std::string tar = builder.Build();
  Limits limits;
  limits.max_expansion_ratio = 0.25;  // about 26 KB of the ~108 KB tar
  auto result = ExtractBytes(tar, "riempimento.tar", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_TRUE(HasWarningWith(bundle, "limit_exceeded"))
      << ::testing::PrintToString(bundle.warnings);
  EXPECT_TRUE(HasWarningWith(bundle, "times the archive"));
  ASSERT_EQ(bundle.members.size(), 3u);  // two whole, the third stopped part way
  EXPECT_TRUE(bundle.members[1].status.ok());
  EXPECT_EQ(bundle.members[2].status.code(), StatusCode::kLimitExceeded);
  EXPECT_LE(std::stoull(bundle.metadata.at("expanded_bytes")), 27000u + 64 * 1024);
}

TEST(ArchiveExtractor, ExpandedBytesLimitStopsReading) {
  TarBuilder builder;
  for (int i = 0; i < 5; ++i)
    builder.Add(std::to_string(i) + ".txt", Paragraph("Parole. ", 100000));
  Limits limits;
  limits.max_expanded_bytes = 250000;
  auto result = ExtractBytes(builder.Build(), "grande.tar", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_TRUE(HasWarningWith(bundle, "expand beyond 250000 bytes"))
      << ::testing::PrintToString(bundle.warnings);
  ASSERT_EQ(bundle.members.size(), 3u);
  EXPECT_TRUE(bundle.members[0].status.ok());
  EXPECT_TRUE(bundle.members[1].status.ok());
  EXPECT_EQ(bundle.members[2].status.code(), StatusCode::kLimitExceeded);
}

TEST(ArchiveExtractor, OversizedMemberFailsAlone) {
  std::string tar = TarBuilder()
                        .Add("piccolo.txt", "Piccolo.\n")
                        .Add("enorme.txt", Paragraph("Molto testo. ", 50000))
                        .Add("finale.txt", "Finale.\n")
                        .Build();
  Limits limits;
  limits.max_member_bytes = 10000;
  auto result = ExtractBytes(tar, "misto.tar", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  ASSERT_EQ(bundle.members.size(), 3u);
  EXPECT_EQ(bundle.members[1].member_path, "enorme.txt");
  EXPECT_EQ(bundle.members[1].status.code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(bundle.members[2].text, "Finale.");
}

TEST(ArchiveExtractor, FailedMemberKeepsItsPathAndStatus) {
  std::string binary("\x00\x01\x02\x03\xff\xfe\x00\x10", 8);
  std::string tar =
      TarBuilder().Add("dati/blob.bin", binary + binary).Add("ok.txt", "Bene.\n").Build();
  auto result = ExtractBytes(tar, "misto.tar");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  ASSERT_EQ(bundle.members.size(), 2u);
  EXPECT_EQ(bundle.members[0].member_path, "dati/blob.bin");
  EXPECT_EQ(bundle.members[0].file_name, "blob.bin");
  EXPECT_FALSE(bundle.members[0].status.ok());
  EXPECT_TRUE(bundle.members[0].text.empty());
  EXPECT_TRUE(bundle.members[1].status.ok());
}

TEST(ArchiveExtractor, UnsafeNamesAreCleanedAndLinksSkipped) {
  std::string tar = TarBuilder()
                        .Add("../../etc/fuori.txt", "Fuori.\n")
                        .Add("/assoluto.txt", "Assoluto.\n")
                        .Add("collegamento", "", '2')
                        .Build();
  auto result = ExtractBytes(tar, "pericoloso.tar");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  ASSERT_EQ(bundle.members.size(), 2u);
  EXPECT_EQ(bundle.members[0].member_path, "etc/fuori.txt");
  EXPECT_EQ(bundle.members[1].member_path, "assoluto.txt");
  EXPECT_TRUE(HasWarningWith(bundle, "unsafe member name '../../etc/fuori.txt'"));
  EXPECT_TRUE(HasWarningWith(bundle, "'collegamento' is not a regular file"));
}

TEST(ArchiveExtractor, HostileZipSlipNamesNeverLeaveTheBundle) {
  auto result = ExtractSample("hostile/zip-slip.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_NE(FindMember(bundle, "documenti/nota-regolare.txt"), nullptr);
  for (const auto& member : bundle.members) {
    EXPECT_EQ(member.member_path.find(".."), std::string::npos) << member.member_path;
    EXPECT_NE(member.member_path.front(), '/') << member.member_path;
  }
  EXPECT_TRUE(HasWarningWith(bundle, "unsafe member name"));
}

TEST(ArchiveExtractor, HostileZipBombStopsAtTheRatio) {
  auto result = ExtractSample("hostile/zip-bomb.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  EXPECT_TRUE(HasWarningWith(bundle, "limit_exceeded"))
      << ::testing::PrintToString(bundle.warnings);
  // Stopped within one chunk of 200 x the archive's size, far below the 1.2 GB inside.
  uint64_t allowed = static_cast<uint64_t>(200.0 * bundle.size) + 64 * 1024;
  EXPECT_LE(std::stoull(bundle.metadata.at("expanded_bytes")), allowed);
  const ExtractedDocument* readme = FindMember(bundle, "leggimi.txt");
  ASSERT_NE(readme, nullptr);
  EXPECT_TRUE(readme->status.ok());
}

TEST(ArchiveExtractor, HostileNestingStopsAtMaxDepth) {
  auto result = ExtractSample("hostile/nested-10.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Walk down the single chain of nested zips to the member that was refused.
  const ExtractedDocument* doc = &result.value();
  int depth = 0;
  while (!doc->members.empty() && doc->members[0].status.ok()) {
    doc = &doc->members[0];
    ++depth;
  }
  ASSERT_FALSE(doc->members.empty());
  EXPECT_EQ(depth, Limits{}.max_depth);
  EXPECT_EQ(doc->members[0].status.code(), StatusCode::kLimitExceeded);
  EXPECT_NE(doc->members[0].status.message().find("nested too deep"), std::string::npos);

  // Ten levels of ZIP put the text at depth 10: a limit of 10 reaches it.
  Limits deep;
  deep.max_depth = 10;
  auto all = ExtractSample("hostile/nested-10.zip", deep);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  doc = &all.value();
  while (!doc->members.empty()) doc = &doc->members[0];
  EXPECT_TRUE(doc->status.ok()) << doc->status.ToString();
  EXPECT_EQ(doc->file_name, "messaggio-finale.txt");
  EXPECT_NE(doc->text.find("Messaggio dal decimo livello: la rete degli sportelli di Sondrio"),
            std::string::npos);
  EXPECT_EQ(doc->member_path.rfind("livello-02.zip/livello-03.zip/", 0), 0u) << doc->member_path;
}

TEST(ArchiveExtractor, HostileTruncatedZipKeepsWhatWasRead) {
  auto result = ExtractSample("hostile/truncated.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  const ExtractedDocument* index = FindMember(bundle, "indice.txt");
  ASSERT_NE(index, nullptr);
  EXPECT_NE(index->text.find("questo archivio contiene un secondo membro troncato"),
            std::string::npos);
  const ExtractedDocument* cut = FindMember(bundle, "archivio/registro-completo.txt");
  ASSERT_NE(cut, nullptr);
  EXPECT_FALSE(cut->status.ok());
  EXPECT_FALSE(bundle.warnings.empty());
}

TEST(ArchiveExtractor, EncryptedMemberIsMarkedEncrypted) {
  // zip -P pw: segreto.txt encrypted (ZipCrypto), aperto.txt not.
  const std::string zip(
      "\x50\x4b\x03\x04\x0a\x00\x09\x00\x00\x00\x7b\x73\x7b\x5d\xba\xba\xf0\x20\x15\x00\x00\x00"
      "\x09\x00\x00\x00\x0b\x00\x00\x00\x73\x65\x67\x72\x65\x74\x6f\x2e\x74\x78\x74\x63\xda\x3a"
      "\x83\xf8\x2f\xc6\x07\xf4\x19\xd1\x7e\x1f\x64\x5a\x09\x9e\xf7\x61\x1d\x6d\x50\x4b\x07\x08"
      "\xba\xba\xf0\x20\x15\x00\x00\x00\x09\x00\x00\x00\x50\x4b\x03\x04\x0a\x00\x00\x00\x00\x00"
      "\x7b\x73\x7b\x5d\x93\xbb\x52\xfb\x08\x00\x00\x00\x08\x00\x00\x00\x0a\x00\x00\x00\x61\x70"
      "\x65\x72\x74\x6f\x2e\x74\x78\x74\x41\x70\x65\x72\x74\x6f\x2e\x0a\x50\x4b\x01\x02\x1e\x03"
      "\x0a\x00\x09\x00\x00\x00\x7b\x73\x7b\x5d\xba\xba\xf0\x20\x15\x00\x00\x00\x09\x00\x00\x00"
      "\x0b\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\xa4\x81\x00\x00\x00\x00\x73\x65\x67\x72"
      "\x65\x74\x6f\x2e\x74\x78\x74\x50\x4b\x01\x02\x1e\x03\x0a\x00\x00\x00\x00\x00\x7b\x73\x7b"
      "\x5d\x93\xbb\x52\xfb\x08\x00\x00\x00\x08\x00\x00\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x01"
      "\x00\x00\x00\xa4\x81\x4e\x00\x00\x00\x61\x70\x65\x72\x74\x6f\x2e\x74\x78\x74\x50\x4b\x05"
      "\x06\x00\x00\x00\x00\x02\x00\x02\x00\x71\x00\x00\x00\x7e\x00\x00\x00\x00\x00",
      261);
  auto result = ExtractBytes(zip, "riservato.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& bundle = result.value();
  ASSERT_EQ(bundle.members.size(), 2u);
  EXPECT_EQ(bundle.members[0].member_path, "segreto.txt");
  EXPECT_EQ(bundle.members[0].status.code(), StatusCode::kEncrypted);
  EXPECT_EQ(bundle.members[1].text, "Aperto.");
}

TEST(ArchiveExtractor, SingleCompressedFileIsOneMember) {
  const std::string gz(
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x0b\xcd\x53\x28\xce\xcf\xc9\x57\x48\xcb\xcc\x49"
      "\x55\x48\xce\xcf\x2d\x28\x4a\x2d\x2e\xce\xd7\xe3\x02\x00\x34\x4a\x1c\x93\x18\x00\x00\x00",
      44);
  auto result = ExtractBytes(gz, "avviso.txt.gz");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result.value().members.size(), 1u);
  EXPECT_EQ(result.value().members[0].member_path, "avviso.txt");
  EXPECT_EQ(result.value().members[0].text, "Un solo file compresso.");
}

TEST(ArchiveExtractor, UnreadableArchiveIsCorrupt) {
  // A 7z signature (enough for detection) followed by noise.
  std::string seven_zip = std::string("7z\xBC\xAF\x27\x1C\x00\x04", 8) + std::string(200, 'U');
  auto result = ExtractBytes(seven_zip, "rotto.7z");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(result.status().message().find("not a readable archive"), std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace correlare::extractors
