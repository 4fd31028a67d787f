// UTF-8 checks for what comes from the network and from the index, so that neither a
// 400 nor a JSON document can be broken by a stray byte.
#pragma once

#include <string>
#include <string_view>

namespace correlare::searchd {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);

}  // namespace correlare::searchd
