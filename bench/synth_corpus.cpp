// synth_corpus: writes N synthetic Italian-like plain-text documents for the scale
// benchmark. Deterministic: the same N and seed give the same bytes.
//
//   build/bin/synth_corpus OUT_DIR N [SEED]
//
// Each document is OUT_DIR/<shard>/doc-<n>.txt (1,000 per shard folder): a title line,
// then paragraphs. Words are drawn from a vocabulary with a Zipf distribution (s = 1.07):
// about 180 real Italian words (function words first, then the frequent words of
// administrative prose), then 60,000 made-up words of Italian shape (syllables ending in
// a vowel), so the index vocabulary grows with N roughly as a real one does. Lengths
// follow a log-normal law (median 900 words) clipped to 300–5,000. Every document gets
// one or two of the six axes' theme phrases, and one of the twelve provinces and the
// region named a few times, so tagging and facets have something to find.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

const char* const kCommon[] = {
    "di", "e", "il", "la", "che", "a", "per", "in", "un", "del", "della", "non", "le", "si",
    "con", "una", "i", "da", "al", "dei", "alla", "sono", "nel", "delle", "gli", "come",
    "anche", "più", "o", "ai", "degli", "nella", "questo", "essere", "dal", "se", "sul",
    "tra", "ha", "sua", "loro", "può", "cui", "quali", "ogni", "stato", "dalla", "quando",
    "servizio", "servizi", "persone", "cittadini", "stranieri", "comune", "ufficio",
    "domanda", "documento", "documenti", "richiesta", "permesso", "soggiorno", "lavoro",
    "casa", "scuola", "famiglia", "minori", "anni", "modulo", "regione", "provincia",
    "sportello", "operatori", "operatore", "progetto", "attività", "formazione", "corso",
    "lingua", "italiana", "italiano", "accesso", "sanità", "salute", "medico", "tessera",
    "sanitaria", "contratto", "datore", "reddito", "residenza", "anagrafe", "certificato",
    "questura", "prefettura", "rinnovo", "rilascio", "ricongiungimento", "familiare",
    "cittadinanza", "asilo", "protezione", "internazionale", "accoglienza", "centro",
    "mediazione", "mediatore", "culturale", "interculturale", "comunicazione", "rete",
    "territorio", "territoriale", "percorso", "percorsi", "inserimento", "integrazione",
    "sociale", "sociali", "assistente", "assistenza", "alloggio", "abitativa", "affitto",
    "locazione", "edilizia", "pubblica", "istruzione", "iscrizione", "studenti", "alunni",
    "classe", "insegnanti", "genitori", "bambini", "ragazzi", "giovani", "adolescenti",
    "seconde", "generazioni", "impiego", "occupazione", "tirocinio", "disoccupazione",
    "legge", "decreto", "articolo", "comma", "normativa", "circolare", "procedura",
    "termini", "giorni", "mesi", "data", "nome", "cognome", "nascita", "paese", "origine",
    "nazionalità", "informazioni", "guida", "scheda", "risposta", "esempio", "caso",
    "gruppo", "incontro", "colloquio", "bisogni", "risorse", "diritti", "doveri",
    "obbligo", "possibile", "necessario", "previsto", "presso", "secondo", "dopo",
    "prima", "durante", "entro", "oltre", "senza", "verso"};

const char* const kThemes[6][4] = {
    {"corso di italiano", "diritto allo studio", "successo scolastico", "istruzione degli adulti"},
    {"centro per l'impiego", "contratto di lavoro", "decreto flussi", "ricerca di lavoro"},
    {"edilizia residenziale pubblica", "contratto di locazione", "idoneità alloggiativa", "emergenza abitativa"},
    {"permesso di soggiorno", "tessera sanitaria", "servizio sanitario nazionale", "protezione internazionale"},
    {"minori stranieri non accompagnati", "seconde generazioni", "ricongiungimento familiare", "tutela dei minori"},
    {"mediazione interculturale", "mediatore culturale", "comunicazione interculturale", "dialogo interculturale"}};

const char* const kProvinces[] = {"Bergamo", "Brescia", "Como",   "Cremona",  "Lecco",   "Lodi",
                                  "Mantova", "Milano",  "Monza e della Brianza", "Pavia",
                                  "Sondrio", "Varese"};

const char* const kOnsets[] = {"b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "z",
                               "br", "cr", "pr", "tr", "st", "sp", "gr", "ch", "gl", "sc"};
const char* const kVowels[] = {"a", "e", "i", "o", "u", "a", "e", "i", "o"};
const char* const kCodas[] = {"", "", "", "", "n", "r", "l", "s"};
const char* const kEndings[] = {"a", "e", "i", "o", "ione", "ento", "ità", "are", "ere", "ale", "ivo", "ata"};

std::string MadeUpWord(std::mt19937_64& rng) {
  std::string w;
  int syllables = 1 + static_cast<int>(rng() % 2);
  for (int i = 0; i < syllables; ++i) {
    w += kOnsets[rng() % std::size(kOnsets)];
    w += kVowels[rng() % std::size(kVowels)];
    w += kCodas[rng() % std::size(kCodas)];
  }
  w += kOnsets[rng() % std::size(kOnsets)];
  w += kEndings[rng() % std::size(kEndings)];
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: synth_corpus OUT_DIR N [SEED]\n";
    return 2;
  }
  std::filesystem::path out = argv[1];
  long n = std::atol(argv[2]);
  uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;
  if (n <= 0) {
    std::cerr << "synth_corpus: N must be positive\n";
    return 2;
  }

  std::mt19937_64 vocab_rng(seed);
  std::vector<std::string> vocab(std::begin(kCommon), std::end(kCommon));
  constexpr size_t kMadeUp = 60000;
  while (vocab.size() < std::size(kCommon) + kMadeUp) vocab.push_back(MadeUpWord(vocab_rng));
  std::vector<double> cumulative(vocab.size());
  double total = 0;
  for (size_t r = 0; r < vocab.size(); ++r) {
    total += 1.0 / std::pow(static_cast<double>(r + 1), 1.07);
    cumulative[r] = total;
  }

  std::mt19937_64 rng(seed * 7919 + 1);
  std::uniform_real_distribution<double> uniform(0.0, total);
  std::lognormal_distribution<double> length(std::log(900.0), 0.7);
  auto word = [&]() -> const std::string& {
    double x = uniform(rng);
    return vocab[std::lower_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin()];
  };

  std::string body;
  uint64_t bytes = 0;
  for (long i = 0; i < n; ++i) {
    std::filesystem::path dir = out / ([&] {
      char shard[24];
      std::snprintf(shard, sizeof(shard), "%04ld", i / 1000);
      return std::string(shard);
    })();
    if (i % 1000 == 0) std::filesystem::create_directories(dir);
    int words = std::clamp(static_cast<int>(length(rng)), 300, 5000);
    int axis = static_cast<int>(rng() % 6);
    int axis2 = static_cast<int>(rng() % 6);
    const char* province = kProvinces[rng() % std::size(kProvinces)];
    const char* theme = kThemes[axis][rng() % 4];

    body.clear();
    // Title: the theme, the province, a serial that makes every document's bytes unique.
    body += theme;
    body += " — ";
    body += province;
    body += " — scheda n. " + std::to_string(i + 1) + "\n\n";
    int sentence = 0, paragraph = 0;
    for (int w = 0; w < words; ++w) {
      if (w % 150 == 75) {
        body += (w / 150) % 2 ? kThemes[axis2][rng() % 4] : theme;
        body += ' ';
      }
      if (w % 400 == 200) {
        body += "provincia di ";
        body += province;
        body += ' ';
      }
      const std::string& next = word();
      if (sentence == 0 && !next.empty()) {
        body += static_cast<char>(std::toupper(static_cast<unsigned char>(next[0])));
        body.append(next, 1);
      } else {
        body += next;
      }
      if (++sentence >= 8 + static_cast<int>(rng() % 14)) {
        body += '.';
        sentence = 0;
        if (++paragraph >= 4 + static_cast<int>(rng() % 4)) {
          body += "\n\n";
          paragraph = 0;
          continue;
        }
      }
      body += ' ';
    }
    body += ".\n";
    char name[32];
    std::snprintf(name, sizeof(name), "doc-%07ld.txt", i + 1);
    std::ofstream file(dir / name, std::ios::binary);
    file << body;
    if (!file) {
      std::cerr << "synth_corpus: cannot write " << (dir / name).string() << "\n";
      return 1;
    }
    bytes += body.size();
  }
  std::printf("documents %ld\nbytes %llu\n", n, static_cast<unsigned long long>(bytes));
  return 0;
}
