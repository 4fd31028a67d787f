// The index schema: term prefixes, value slots and what a document's data holds. The
// indexer writes it and searchd reads it, both through this header only, so the two
// cannot disagree. DO NOT CHANGE a prefix or a slot number: existing indexes depend on
// them (change kSchemaVersion and reindex instead).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace correlare::schema {

inline constexpr int kSchemaVersion = 1;
// Xapian user-metadata key holding kSchemaVersion.
inline constexpr char kMetadataSchemaVersion[] = "correlare:schema";

// ---- Term prefixes (Omega's conventions where one exists) ----------------------------
// The title's words are also indexed unprefixed, each occurrence counting this many
// (the text's count one): wdf = kTitleWdf × (in the title) + (in the text).
inline constexpr unsigned kTitleWdf = 3;

inline constexpr char kPrefixId[] = "Q";          // Q<id>: one per document, unique
inline constexpr char kPrefixTitle[] = "S";       // free text of the title (titolo:)
inline constexpr char kPrefixAuthor[] = "A";      // free text of the authors (autore:)
inline constexpr char kPrefixNorm[] = "XN";       // XN<norm id>, XN<norm id>/art-N (norma:)
inline constexpr char kPrefixAxis[] = "XA";       // XAlavoro (boolean facet)
inline constexpr char kPrefixSubtheme[] = "XS";   // XSdecreto-flussi
inline constexpr char kPrefixProvince[] = "XP";   // XPlodi
inline constexpr char kPrefixType[] = "XT";       // XTdispensa
inline constexpr char kPrefixLang[] = "L";        // Lit
inline constexpr char kPrefixYear[] = "Y";        // Y2012
inline constexpr char kPrefixMime[] = "T";        // Tapplication/pdf
inline constexpr char kPrefixParent[] = "XB";     // XB<bundle id> on each member of a bundle
inline constexpr char kPrefixSource[] = "XF";     // XF + ContentId(source key), per place the bytes came from

// ---- Value slots ---------------------------------------------------------------------
enum Slot : Xapian::valueno {
  kSlotDate = 0,       // Xapian::sortable_serialise(YYYYMMDD), 0 when unknown
  kSlotYear = 1,       // "2012", "" when unknown
  kSlotAxes = 2,       // PackValues(axis ids)
  kSlotProvinces = 3,  // PackValues(province ids)
  kSlotType = 4,       // type id
  kSlotLang = 5,       // language code
  kSlotSize = 6,       // Xapian::sortable_serialise(bytes of the original)
  kSlotTitle = 7,      // folded title, for sorting by title
};

// Several facet values in one slot, for facet counting: "\x1F"-separated.
std::string PackValues(const std::vector<std::string>& values);
std::vector<std::string> UnpackValues(std::string_view packed);

// The number stored in kSlotDate for "YYYY" or "YYYY-MM-DD" (YYYY0000 / YYYYMMDD), or 0.
double DateNumber(std::string_view date);

// The Xapian stemmer language for an ISO 639-1 code ("it" -> "italian"); "" when Xapian
// has none, and "italian" for an unknown or empty code (the platform's language).
std::string StemmerLanguage(std::string_view lang);

}  // namespace correlare::schema
