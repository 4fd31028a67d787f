#include "taxonomy/vocabulary.h"

#include <algorithm>
#include <cctype>

namespace correlare::taxonomy {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(const std::vector<IdLabel>& terms, std::string_view id) {
  return std::any_of(terms.begin(), terms.end(), [&](const IdLabel& t) { return t.id == id; });
}

}  // namespace

const std::vector<IdLabel>& Axes() {
  static const std::vector<IdLabel> kAxes = {
      {"educazione", "Educazione e apprendimento", "Education and learning"},
      {"lavoro", "Lavoro", "Work"},
      {"alloggio", "Alloggio e governo del territorio", "Housing and land management"},
      {"servizi", "Accesso ai servizi essenziali", "Access to essential services"},
      {"minori", "Minori e seconde generazioni", "Minors and second generations"},
      {"intercultura", "Comunicazione interculturale", "Intercultural communication"},
  };
  return kAxes;
}

const std::vector<Province>& Provinces() {
  static const std::vector<Province> kProvinces = {
      {"bergamo", "BG", "Bergamo"},     {"brescia", "BS", "Brescia"},
      {"como", "CO", "Como"},           {"cremona", "CR", "Cremona"},
      {"lecco", "LC", "Lecco"},         {"lodi", "LO", "Lodi"},
      {"mantova", "MN", "Mantova"},     {"milano", "MI", "Milano"},
      {"monza-brianza", "MB", "Monza e della Brianza"},
      {"pavia", "PV", "Pavia"},         {"sondrio", "SO", "Sondrio"},
      {"varese", "VA", "Varese"},       {"lombardia", "", "Regione Lombardia"},
  };
  return kProvinces;
}

const std::vector<IdLabel>& DocumentTypes() {
  static const std::vector<IdLabel> kTypes = {
      {"dispensa", "Dispensa", "Training handout"},
      {"normativa", "Normativa", "Law, decree, circular"},
      {"trascrizione", "Trascrizione", "Transcript"},
      {"strumento", "Strumento operativo", "Operational tool"},
      {"raccomandazione", "Raccomandazione", "Recommendation"},
      {"presentazione", "Presentazione", "Slides"},
      {"altro", "Altro", "Other"},
  };
  return kTypes;
}

const std::vector<IdLabel>& Languages() {
  static const std::vector<IdLabel> kLanguages = {
      {"it", "Italiano", "Italian"},   {"en", "Inglese", "English"},
      {"fr", "Francese", "French"},    {"es", "Spagnolo", "Spanish"},
      {"ar", "Arabo", "Arabic"},       {"zh", "Cinese", "Chinese"},
      {"ro", "Rumeno", "Romanian"},    {"sq", "Albanese", "Albanian"},
      {"ur", "Urdu", "Urdu"},          {"de", "Tedesco", "German"},
      {"pt", "Portoghese", "Portuguese"}, {"ru", "Russo", "Russian"},
      {"uk", "Ucraino", "Ukrainian"},  {"bn", "Bengalese", "Bengali"},
      {"hi", "Hindi", "Hindi"},        {"pa", "Punjabi", "Punjabi"},
      {"tl", "Filippino", "Filipino"}, {"pl", "Polacco", "Polish"},
  };
  return kLanguages;
}

bool IsAxis(std::string_view id) { return Contains(Axes(), id); }

bool IsDocumentType(std::string_view id) { return Contains(DocumentTypes(), id); }

std::optional<std::string> ResolveProvince(std::string_view name) {
  std::string lower = Lower(name);
  for (const auto& province : Provinces()) {
    if (lower == province.id || (!province.sigla.empty() && lower == Lower(province.sigla))) {
      return std::string(province.id);
    }
  }
  return std::nullopt;
}

std::string LanguageLabel(std::string_view code) {
  for (const auto& language : Languages()) {
    if (language.id == code) return std::string(language.label);
  }
  return std::string(code);
}

}  // namespace correlare::taxonomy
