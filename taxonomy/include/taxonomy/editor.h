// Curation of a Taxonomy: the edits behind `correlare-taxonomy` (add a term, rename it,
// add or remove a phrase, exclude one, add synonyms, merge and move sub-themes), and the
// file-level transaction that applies one of them to taxonomy.json.
//
// Every edit is all or nothing: it works on a copy, validates the copy
// (Taxonomy::Validate) and only then replaces the caller's taxonomy. On error the
// taxonomy is untouched and the Status names the problem in one line: kNotFound for an
// unknown term, kInvalidArgument for an edit that would break a rule of
// docs/taxonomy.md.
//
// Phrases compare as the tagger matches them (PhraseKeys: folded and stemmed, word by
// word), so "Centri per l'Impiego" is a duplicate of "centro per l'impiego".
//
// Thread safety: the edits touch only the Taxonomy given to them. EditTaxonomyFile may
// be called from many threads and processes at once: it serialises them on a lock file.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "taxonomy/taxonomy.h"

namespace correlare::taxonomy {

// Adds a sub-theme under `parent_id` (an axis or a sub-theme). `id` must be well formed
// (lowercase letters, digits, hyphens) and used by no other term; `label` not empty.
Status AddTerm(Taxonomy& taxonomy, const std::string& parent_id, const std::string& id,
               const std::string& label, const std::string& label_en = "");

// Changes the Italian label of any term (SPEC terms included: only their ids are fixed).
Status Rename(Taxonomy& taxonomy, const std::string& id, const std::string& label);

// Adds a phrase to any term. Fails when the phrase has no words, repeats one of the
// term's phrases (the message names it), is one of its exclusions, or when `weight` is
// not in (0, 100].
Status AddPhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text,
                 double weight = 1.0);

// Removes the phrase of `id` that matches `text`; fails when there is none.
Status RemovePhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text);

// Adds a phrase that must not count for the axis or sub-theme `id` (and its
// sub-themes): "lavoro di gruppo" is not about work. Provinces and types have no
// exclusions in the file format.
Status ExcludePhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text);

// Declares `entries` (at least two different ones) equivalent at query time. Sets that
// already share an entry with them are merged into one set. Entries compare
// case- and accent-insensitively. Fails when nothing would change.
Status AddSynonyms(Taxonomy& taxonomy, const std::vector<std::string>& entries);

// Folds the sub-theme `from` into `into` (an axis or another sub-theme, not one of
// `from`'s own sub-themes): its phrases, patterns, exclusions and children move to
// `into`, duplicates are dropped, and `from` disappears. The SPEC's axes, provinces and
// types cannot be merged away.
Status Merge(Taxonomy& taxonomy, const std::string& from, const std::string& into);

// Moves the sub-theme `id`, with its own sub-themes, under `new_parent` (an axis or a
// sub-theme that is neither `id` nor below it).
Status Move(Taxonomy& taxonomy, const std::string& id, const std::string& new_parent);

// The current time as the history records it: "2026-11-27T14:30:00Z".
std::string UtcTimestamp();

// One curation transaction on the file at `path`: takes an exclusive flock on
// `path + ".lock"` (created if needed; waits for other editors), loads the file, calls
// `edit`, appends HistoryEntry{UtcTimestamp(), who, what} and saves atomically
// (Taxonomy::Save). When loading, `edit` or saving fails the file is left as it was and
// the Status says why (a broken file: "path:line:column: ..."). Two editors running at
// once both land, one after the other.
Status EditTaxonomyFile(const std::string& path, const std::string& who, const std::string& what,
                        const std::function<Status(Taxonomy&)>& edit);

}  // namespace correlare::taxonomy
