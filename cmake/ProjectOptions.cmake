# Warnings and sanitizers travel as INTERFACE targets: a target opts in by linking
# correlare::options, and nothing is set globally.
add_library(correlare_options INTERFACE)
add_library(correlare::options ALIAS correlare_options)

target_compile_options(correlare_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)

# GCC 12 reports a false -Wrestrict inside std::string for `"literal" + std::move(s)`
# (GCC bug 105329, fixed in GCC 13); it says nothing about our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(correlare_options INTERFACE -Wno-restrict)
endif()

if(CORRELARE_SANITIZE)
  target_compile_options(correlare_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(correlare_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(correlare_options INTERFACE CORRELARE_SANITIZED=1)
endif()
