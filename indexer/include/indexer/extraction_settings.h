// The extraction limits a program runs with, read from Settings (INI key or flag of the
// same name): extract_timeout (seconds), extract_memory_mb, max_file_mb, max_text_mb.
#pragma once

#include <vector>

#include "common/command_line.h"
#include "common/settings.h"
#include "common/status.h"
#include "extractors/limits.h"

namespace correlare::indexer {

Result<extractors::Limits> LimitsFromSettings(const Settings& settings);

// The flags of the settings above, for a program's flag table.
std::vector<FlagSpec> ExtractionFlags();

}  // namespace correlare::indexer
