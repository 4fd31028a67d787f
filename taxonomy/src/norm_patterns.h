// Private to norm_citations.cpp: the RE2 patterns of norm citations and article
// references, written with {NAME} placeholders for readability (see norm_patterns.cpp).
// Every pattern is compiled case-insensitive, UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace correlare::taxonomy::norms {

// Replaces every {NAME} placeholder by its fragment, in a non-capturing group (so that a
// following "?" or "*" takes it whole). RE2 repetition counts ("\d{1,4}") start with a
// digit and are left alone. Throws std::logic_error on an unknown name.
std::string ExpandPattern(std::string_view pattern);

// The keyword of a national act, in two patterns by first letter (each small enough for
// RE2 to read its groups fast). Exactly one group is set: k_dpcm, k_dpr, k_dlgs, k_dl,
// k_dm in the first; k_lr, k_l in the second. Where one keyword is a prefix of another,
// the longer comes first, so that a match anchored at the keyword's start takes it whole.
inline constexpr std::string_view kDecreeKindPattern =
    R"((?P<k_dpcm>d{D}p{D}c{D}m\.?|)"
    R"(decreto{S1}del{S1}presidente{S1}del{S1}consiglio{S1}dei{S1}ministri))"
    R"(|(?P<k_dpr>d{D}p{D}r\.?|decreto{S1}del{S1}presidente{S1}della{S1}repubblica))"
    R"(|(?P<k_dlgs>decreto{S1}legislativo|d{D}(?:lgs|l{D}vo|leg{D}vo)\.?))"
    R"(|(?P<k_dl>decreto(?:{S1}|{S}{DASH}{S})legge|d{D}l\.?))"
    R"(|(?P<k_dm>decreto{S1}ministeriale|d{D}m\.?))";
inline constexpr std::string_view kLawKindPattern =
    R"((?P<k_lr>(?:legge{S1}regionale|l{D}r\.?))"
    R"((?:{S1}(?:della{S1})?(?:regione{S1})?lombard(?:ia|a))?))"
    R"(|(?P<k_l>legge|l\.?))";

// What follows a national keyword: number and year in one of three shapes, tried in this
// order so that a date is not mistaken for "N/YY":
//   C "25 luglio 1998, n. 286"  (groups yc, nc)
//   B "n. 286 del 25 luglio 1998", "286 del 1998", "n. 19 dell'8 luglio 2015"  (nb, yb)
//   A "n. 286/1998", "286/98"  (na, ya)
inline constexpr std::string_view kNationalTailPattern =
    R"({S}(?:)"
    R"((?:del{S1}|dell{APOS}{S})?{DAY}(?P<yc>\d{4}){S},?{S}{NM}(?P<nc>\d{1,5}))"
    R"(|{NM}?(?P<nb>\d{1,5})(?:{S},{S}|{S1})(?:del{S1}|dell{APOS}{S}){DAY}?(?P<yb>\d{4}))"
    R"(|{NM}?(?P<na>\d{1,5}){S}/{S}(?P<ya>\d{4}|\d{2})))";

// EU acts. Regulations (k_reg): "Regolamento (UE) 2016/679", "Reg. (CE) n. 1030/2002"
// (r1, r2: which is the year depends on the era). Directives (k_dir): "Direttiva
// 2011/98/UE", "Direttiva (UE) 2024/1346" (d0: "(UE)", d1: year, d2: number, d3: "UE").
inline constexpr std::string_view kEuActPattern =
    R"((?P<k_reg>regolamento|reg\.){S}(?:\({S}(?:ue|ce|cee){S}\)|(?:ue|ce|cee)\b){S}{NM}?)"
    R"((?P<r1>\d{1,4}){S}/{S}(?P<r2>\d{1,4}))"
    R"(|(?P<k_dir>direttiva|dir\.){S}(?P<d0>\({S}(?:ue|ce|cee){S}\){S})?{NM}?)"
    R"((?P<d1>\d{4}|\d{2}){S}/{S}(?P<d2>\d{1,4})(?:{S}/{S}(?P<d3>ue|ce|cee)\b)?)";

// The start of an article reference; groups 1-2: number and Latin suffix.
inline constexpr std::string_view kArticleStartPattern = R"(\b{ARTKW}{S}{ARTNUM})";

// One more piece of an article reference, anchored where it ends so far: another article
// ("e art. 5", ", 5", "e 5"), commas and paragraphs ("comma 2", "commi 1 e 2", "par. 1"),
// letters ("lett. a) e b)"), periods ("secondo periodo"), "e seguenti", "ss.". No groups.
inline constexpr std::string_view kArticleItemPattern =
    R"({S}(?:)"
    R"((?:[,;]{S})?{AND}?{ARTKW}{S}{NUM})"
    R"(|(?:,{S}{AND}?|{AND}){NUM})"
    R"(|(?:,{S})?{AND}?(?:commi|comma|co\.|c\.|paragrafi|paragrafo|par\.|§){S}{NUM})"
    R"((?:{S}(?:,|e\b|ed\b|{DASH}){S}{NUM})*)"
    R"(|(?:,{S})?{AND}?(?:lettere|lettera|lett\.?|let\.){S}{LETTER}(?:\)|\b))"
    R"((?:{S}(?:,|e|ed){S}{LETTER}\))*)"
    R"(|(?:,{S})?(?:primo|secondo|terzo|quarto|quinto|ultimo|penultimo){S1}periodo)"
    R"(|(?:,{S})?(?:e{S1})?(?:seguenti\b|ss\.|segg\.))"
    R"())";

// Matches, whole, the pieces of kArticleItemPattern that name an article; groups 1-2:
// number and suffix.
inline constexpr std::string_view kArticleRefPattern =
    R"({S}(?:[,;]{S})?{AND}?(?:{ARTKW}{S})?{ARTNUM})";

// Between an article reference and the norm it belongs to: "art. 22, comma 2, del D.Lgs.
// …", "art. 35 del Testo Unico", "art. 2 della c.d. legge Zampa". Group 1: a comma;
// group 2: the preposition.
inline constexpr std::string_view kConnectorPattern =
    R"({S}(?:(,){S})?)"
    R"(((?:del|dello|della|dei|degli|delle|nel|nello|nella|dal|dallo|dalla){S1})"
    R"(|dell{APOS}{S}|di{S1}cui{S1}(?:al|allo|alla){S1}|di{S1}cui{S1}all{APOS}{S})?)"
    R"((?:(?:c\.{S}d\.|cd\.|cosiddett[oa]){S})?)";

// Between a norm and the article reference after it: "D.Lgs. 286/1998, art. 22",
// "D.Lgs. 286/1998 (art. 5)", "DPR 394/1999 art. 45". Group 1: an opening parenthesis.
inline constexpr std::string_view kGapAfterPattern = R"({S}(?:(\(){S}|(?:[,:]|{DASH}){S})?)";

// The parenthesis that closes "D.Lgs. 286/1998 (art. 5".
inline constexpr std::string_view kClosingParenPattern = R"({S}\))";

}  // namespace correlare::taxonomy::norms
