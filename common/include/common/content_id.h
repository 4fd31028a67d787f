// The content id of a document: the first 128 bits of the SHA-256 of its bytes, as 32
// lowercase hex characters. The same bytes always get the same id (SPEC "Document id").
// DO NOT CHANGE: ids are stored in indexes, folders and links.
#pragma once

#include <string>
#include <string_view>

namespace correlare {

std::string ContentId(std::string_view bytes);

// True for 32 lowercase hex characters: check before an id reaches the filesystem.
bool IsValidContentId(std::string_view id);

}  // namespace correlare
