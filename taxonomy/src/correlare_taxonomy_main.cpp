// correlare-taxonomy: read and curate the taxonomy file (see ../shared/SPEC.md and
// docs/taxonomy.md). A thin main: parse flags, call the library, map failures to exit
// codes. Every change goes through EditTaxonomyFile: locked, validated, recorded in the
// history, saved atomically.
#include <pwd.h>
#include <unistd.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_report.h"
#include "common/command_line.h"
#include "common/settings.h"
#include "extractors/text_utils.h"
#include "extractors/worker.h"
#include "indexer/extraction_settings.h"
#include "indexer/repository.h"
#include "taxonomy/editor.h"
#include "taxonomy/tagger.h"
#include "taxonomy/taxonomy.h"
#include "taxonomy/text_keys.h"
#include "taxonomy/vocabulary.h"

namespace {

namespace tax = correlare::taxonomy;
using correlare::Status;
using correlare::StatusCode;

constexpr int kExitFailed = 1;  // the work was attempted and failed (I/O, extraction)
constexpr int kExitUsage = 2;   // bad usage, unknown term, invalid edit: nothing changed

constexpr char kProgram[] = "correlare-taxonomy";

// Flags that belong to one verb; the others are common to all.
const std::vector<correlare::FlagSpec>& VerbFlags() {
  static const std::vector<correlare::FlagSpec> kFlags = {
      {"label-en", true, "LABEL", "add-term: the English label"},
      {"weight", true, "N",
       "add-phrase: the phrase's weight, more than 0, at most 100 (default 1)"},
      {"json", false, "", "test: print the tags as JSON"},
      {"dry-run", false, "", "retag: show what would change, change nothing"},
  };
  return kFlags;
}

std::vector<correlare::FlagSpec> Flags() {
  auto flags = correlare::CommonFlags();
  for (const auto& flag : correlare::indexer::ExtractionFlags()) flags.push_back(flag);
  for (const auto& flag : VerbFlags()) flags.push_back(flag);
  return flags;
}

int Fail(const std::string& message, int code) {
  std::cerr << kProgram << ": " << message << "\n";
  return code;
}

int FailWith(const Status& status) {
  bool usage =
      status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound;
  return Fail(status.message(), usage ? kExitUsage : kExitFailed);
}

struct Invocation {
  std::vector<std::string> args;  // after the verb
  const correlare::CommandLine* cmd;
  const correlare::Settings* settings;
  std::string taxonomy_path;
};

// Who the history names: the person behind sudo, else the user.
std::string Who() {
  for (const char* name : {"SUDO_USER", "USER"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "uid " + std::to_string(getuid());
}

std::string Quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\"'\\") == std::string::npos) return arg;
  std::string out = "\"";
  for (char c : arg) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The history's "what": the command as typed, flags of the verb included.
std::string What(const std::string& verb, const Invocation& in) {
  std::string what = verb;
  for (const auto& arg : in.args) what += " " + Quoted(arg);
  for (const auto& flag : VerbFlags()) {
    if (in.cmd->Has(flag.name)) what += " --" + flag.name + " " + Quoted(in.cmd->Get(flag.name));
  }
  return what;
}

// A term as the user may name it: its id in any case, or a province's sigla ("MI").
std::string ResolveTerm(const tax::Taxonomy& taxonomy, const std::string& name) {
  if (taxonomy.Find(name) != nullptr) return name;
  std::string lower = tax::FoldWord(name);
  if (taxonomy.Find(lower) != nullptr) return lower;
  if (auto province = tax::ResolveProvince(name)) return *province;
  return name;
}

correlare::Result<tax::Taxonomy> LoadTaxonomy(const Invocation& in) {
  return tax::Taxonomy::Load(in.taxonomy_path);
}

// Runs one edit as a file transaction and reports it.
int RunEdit(const std::string& verb, const Invocation& in,
            const std::function<Status(tax::Taxonomy&)>& edit, const std::string& done) {
  Status status = tax::EditTaxonomyFile(in.taxonomy_path, Who(), What(verb, in), edit);
  if (!status.ok()) return FailWith(status);
  std::cout << done << "\n";
  return 0;
}

int List(const Invocation& in) {
  auto taxonomy = LoadTaxonomy(in);
  if (!taxonomy.ok()) return FailWith(taxonomy.status());
  std::cout << tax::cli::FormatList(taxonomy.value());
  return 0;
}

int Show(const Invocation& in) {
  auto taxonomy = LoadTaxonomy(in);
  if (!taxonomy.ok()) return FailWith(taxonomy.status());
  std::string id = ResolveTerm(taxonomy.value(), in.args[0]);
  if (taxonomy.value().Find(id) == nullptr) {
    return Fail("unknown term '" + in.args[0] + "' (see '" + kProgram + " list')", kExitUsage);
  }
  std::cout << tax::cli::FormatTerm(taxonomy.value(), id);
  return 0;
}

int History(const Invocation& in) {
  auto taxonomy = LoadTaxonomy(in);
  if (!taxonomy.ok()) return FailWith(taxonomy.status());
  std::cout << tax::cli::FormatHistory(taxonomy.value());
  return 0;
}

int AddTermVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "add-term", in,
      [&](tax::Taxonomy& t) {
        return tax::AddTerm(t, ResolveTerm(t, a[0]), a[1], a[2], in.cmd->Get("label-en"));
      },
      "added sub-theme '" + a[1] + "' under '" + a[0] + "'");
}

int RenameVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "rename", in, [&](tax::Taxonomy& t) { return tax::Rename(t, ResolveTerm(t, a[0]), a[1]); },
      "renamed '" + a[0] + "' to \"" + a[1] + "\"");
}

int AddPhraseVerb(const Invocation& in) {
  const auto& a = in.args;
  double weight = 1.0;
  if (in.cmd->Has("weight")) {
    std::string text = in.cmd->Get("weight");
    size_t used = 0;
    try {
      weight = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(weight)) {
      return Fail("--weight must be a number, not '" + text + "'", kExitUsage);
    }
  }
  return RunEdit(
      "add-phrase", in,
      [&](tax::Taxonomy& t) { return tax::AddPhrase(t, ResolveTerm(t, a[0]), a[1], weight); },
      "added the phrase \"" + a[1] + "\" to '" + a[0] + "'");
}

int RemovePhraseVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "remove-phrase", in,
      [&](tax::Taxonomy& t) { return tax::RemovePhrase(t, ResolveTerm(t, a[0]), a[1]); },
      "removed the phrase \"" + a[1] + "\" from '" + a[0] + "'");
}

int ExcludePhraseVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "exclude-phrase", in,
      [&](tax::Taxonomy& t) { return tax::ExcludePhrase(t, ResolveTerm(t, a[0]), a[1]); },
      "'" + a[0] + "' now excludes \"" + a[1] + "\"");
}

int AddSynonymsVerb(const Invocation& in) {
  return RunEdit(
      "add-synonyms", in, [&](tax::Taxonomy& t) { return tax::AddSynonyms(t, in.args); },
      "added " + std::to_string(in.args.size()) + " synonyms");
}

int MergeVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "merge", in,
      [&](tax::Taxonomy& t) { return tax::Merge(t, ResolveTerm(t, a[0]), ResolveTerm(t, a[1])); },
      "merged '" + a[0] + "' into '" + a[1] + "'");
}

int MoveVerb(const Invocation& in) {
  const auto& a = in.args;
  return RunEdit(
      "move", in,
      [&](tax::Taxonomy& t) { return tax::Move(t, ResolveTerm(t, a[0]), ResolveTerm(t, a[1])); },
      "moved '" + a[0] + "' under '" + a[1] + "'");
}

tax::TagInput InputOf(const correlare::extractors::ExtractedDocument& doc) {
  tax::TagInput input;
  input.title = doc.title;
  if (!doc.heading.empty() && doc.heading != doc.title) input.headings.push_back(doc.heading);
  input.text = doc.text;
  input.mime = doc.mime;
  input.cue_count = doc.cues.size();
  input.page_count = doc.pages.size();
  input.lang = doc.lang;
  return input;
}

// Tags `doc` and each member of a bundle. Member paths are whole paths from the top
// bundle, so members are named `file/member_path` at any depth.
tax::cli::TaggedDocument TagExtracted(const correlare::extractors::ExtractedDocument& doc,
                                      const std::string& file, const tax::Tagger& tagger) {
  tax::cli::TaggedDocument tagged;
  tagged.name = doc.member_path.empty() ? file : file + "/" + doc.member_path;
  tagged.title = doc.title;
  tagged.mime = doc.mime;
  if (!doc.status.ok()) {
    tagged.error = doc.status.ToString();
  } else {
    tagged.tags = tagger.Tag(InputOf(doc));
  }
  for (const auto& member : doc.members) {
    tagged.members.push_back(TagExtracted(member, file, tagger));
  }
  return tagged;
}

int Test(const Invocation& in) {
  auto taxonomy = LoadTaxonomy(in);
  if (!taxonomy.ok()) return FailWith(taxonomy.status());
  tax::Tagger tagger(taxonomy.value());
  const std::string& file = in.args[0];
  tax::cli::TaggedDocument tagged;
  if (file == "-") {
    std::string bytes((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    namespace ex = correlare::extractors;
    tax::TagInput input;
    input.text = ex::RepairAndNormalize(ex::ToUtf8(bytes, ex::DetectCharset(bytes)));
    input.mime = "text/plain";
    input.lang = ex::DetectLanguage(input.text);
    tagged.name = "-";
    tagged.mime = input.mime;
    tagged.tags = tagger.Tag(input);
  } else {
    auto limits = correlare::indexer::LimitsFromSettings(*in.settings);
    if (!limits.ok()) return Fail(limits.status().message(), kExitUsage);
    correlare::extractors::WorkerOptions options;
    options.limits = limits.value();
    auto doc = correlare::extractors::ExtractInWorker(file, options);
    if (!doc.ok()) return Fail(file + ": " + doc.status().ToString(), kExitFailed);
    tagged = TagExtracted(doc.value(), file, tagger);
  }
  if (in.cmd->Has("json")) {
    std::cout << tax::cli::TagsToJson(tagged, taxonomy.value()) << "\n";
  } else {
    std::cout << tax::cli::FormatTags(tagged, taxonomy.value());
  }
  return 0;
}

// Re-applies the taxonomy to every indexed document from its stored text, and says
// which documents gained or lost which tags.
int Retag(const Invocation& in) {
  auto taxonomy = LoadTaxonomy(in);
  if (!taxonomy.ok()) return Fail(taxonomy.status().message(), kExitUsage);
  std::string data_dir = in.settings->data_dir();
  auto repository = correlare::indexer::Repository::Open(data_dir, taxonomy.value());
  if (!repository.ok()) return Fail(repository.status().message(), kExitFailed);
  bool dry_run = in.cmd->Has("dry-run");
  auto changes = repository.value()->Retag(dry_run);
  if (!changes.ok()) return Fail(changes.status().message(), kExitFailed);
  std::map<std::string, int> gained;
  std::map<std::string, int> lost;
  for (const auto& change : changes.value()) {
    std::cout << change.id << "  " << change.title << "\n";
    for (const auto& tag : change.gained) {
      std::cout << "  + " << tag << "\n";
      ++gained[tag];
    }
    for (const auto& tag : change.lost) {
      std::cout << "  - " << tag << "\n";
      ++lost[tag];
    }
  }
  std::cout << changes.value().size() << " of " << repository.value()->document_count()
            << " documents changed" << (dry_run ? " (dry run: nothing written)" : "") << "\n";
  for (const auto& [tag, n] : gained) std::cout << "  " << n << " gained " << tag << "\n";
  for (const auto& [tag, n] : lost) std::cout << "  " << n << " lost " << tag << "\n";
  return 0;
}

struct Verb {
  const char* name;
  const char* usage;  // arguments, for --help and errors
  const char* help;
  size_t min_args;
  size_t max_args;
  std::set<std::string> flags;  // verb flags it takes
  int (*run)(const Invocation&);
};

constexpr size_t kMany = static_cast<size_t>(-1);

const std::vector<Verb>& Verbs() {
  static const std::vector<Verb> kVerbs = {
      {"list", "", "axes with their sub-themes, provinces, types", 0, 0, {}, List},
      {"show",
       "TERM",
       "one term: labels, phrases, patterns, exclusions, sub-themes",
       1,
       1,
       {},
       Show},
      {"add-term",
       "PARENT ID LABEL [--label-en L]",
       "add a sub-theme under an axis or sub-theme",
       3,
       3,
       {"label-en"},
       AddTermVerb},
      {"rename", "TERM LABEL", "change a term's label", 2, 2, {}, RenameVerb},
      {"add-phrase",
       "TERM \"PHRASE\" [--weight N]",
       "add a phrase that signals TERM",
       2,
       2,
       {"weight"},
       AddPhraseVerb},
      {"remove-phrase",
       "TERM \"PHRASE\"",
       "remove one of TERM's phrases",
       2,
       2,
       {},
       RemovePhraseVerb},
      {"exclude-phrase",
       "TERM \"PHRASE\"",
       "a phrase that must not count for TERM",
       2,
       2,
       {},
       ExcludePhraseVerb},
      {"add-synonyms",
       "\"A\" \"B\" ...",
       "words or phrases equivalent at query time",
       2,
       kMany,
       {},
       AddSynonymsVerb},
      {"merge", "FROM INTO", "fold sub-theme FROM into INTO", 2, 2, {}, MergeVerb},
      {"move", "TERM PARENT", "move a sub-theme under another parent", 2, 2, {}, MoveVerb},
      {"history", "", "the edits made so far", 0, 0, {}, History},
      {"test", "FILE|- [--json]", "tag FILE (or text on stdin) and show why", 1, 1, {"json"}, Test},
      {"retag",
       "[--dry-run]",
       "re-apply the taxonomy to every indexed document",
       0,
       0,
       {"dry-run"},
       Retag},
  };
  return kVerbs;
}

void PrintHelp() {
  std::cout << "Usage: " << kProgram << " [options] VERB [arguments]\n\n"
            << "Read and curate the taxonomy (docs/taxonomy.md). TERM is an id; a province\n"
            << "may be named by its sigla. Every change is recorded in the history.\n\n"
            << "Verbs:\n";
  for (const auto& verb : Verbs()) {
    std::string left = std::string("  ") + verb.name + " " + verb.usage;
    if (left.size() < 44)
      left.resize(44, ' ');
    else
      left += "\n" + std::string(44, ' ');
    std::cout << left << verb.help << "\n";
  }
  auto settings = correlare::CommonFlags();
  for (const auto& flag : correlare::indexer::ExtractionFlags()) settings.push_back(flag);
  std::cout << "\nOptions of one verb:\n"
            << correlare::FormatFlagHelp(VerbFlags())
            << "\nOptions (each also an INI key of the same name in the --config file):\n"
            << correlare::FormatFlagHelp(settings);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto cmd = correlare::ParseCommandLine(argc, argv, Flags());
    if (!cmd.ok()) return Fail(cmd.status().message() + " (see --help)", kExitUsage);
    if (cmd.value().Has("help")) {
      PrintHelp();
      return 0;
    }
    const auto& positionals = cmd.value().positionals;
    if (positionals.empty()) return Fail("missing verb (see --help)", kExitUsage);
    const std::string& name = positionals[0];
    const Verb* verb = nullptr;
    for (const auto& v : Verbs()) {
      if (name == v.name) verb = &v;
    }
    if (verb == nullptr) return Fail("unknown verb '" + name + "' (see --help)", kExitUsage);
    size_t given = positionals.size() - 1;
    if (given < verb->min_args || given > verb->max_args) {
      return Fail(std::string("usage: ") + kProgram + " " + verb->name + " " + verb->usage,
                  kExitUsage);
    }
    for (const auto& flag : VerbFlags()) {
      if (cmd.value().Has(flag.name) && verb->flags.count(flag.name) == 0) {
        return Fail("option '--" + flag.name + "' does not apply to '" + name + "'", kExitUsage);
      }
    }
    auto settings = correlare::Settings::Load(cmd.value());
    if (!settings.ok()) return Fail(settings.status().message(), kExitUsage);
    Invocation in{{positionals.begin() + 1, positionals.end()},
                  &cmd.value(),
                  &settings.value(),
                  settings.value().taxonomy_file()};
    return verb->run(in);
  } catch (const std::exception& e) {
    return Fail(std::string("unexpected error: ") + e.what(), kExitFailed);
  }
}
