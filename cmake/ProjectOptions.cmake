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

# CORRELARE_SANITIZE: ON (or "address") for AddressSanitizer + UndefinedBehaviorSanitizer,
# "thread" for ThreadSanitizer (the two cannot be combined in one build).
# RapidJSON's iterators predate C++20's reversed comparison operators: clang warns at
# every `it != end` over a JSON object, about the library, not our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(correlare_options INTERFACE -Wno-ambiguous-reversed-operator)
endif()

if(CORRELARE_SANITIZE STREQUAL "thread")
  target_compile_options(correlare_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(correlare_options INTERFACE -fsanitize=thread)
  target_compile_definitions(correlare_options INTERFACE CORRELARE_SANITIZED=1
                                                         CORRELARE_TSAN=1)
elseif(CORRELARE_SANITIZE)
  # Every UBSan check stops the program, except pointer-overflow: clang reports one
  # inside RapidJSON's own stack (rapidjson/internal/stack.h, fixed upstream after
  # 1.1.0), which only a recoverable check can suppress (tests/ubsan.supp). With
  # UBSAN_OPTIONS=halt_on_error=1 (scripts/test) any other report still stops.
  target_compile_options(correlare_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
    -fsanitize-recover=pointer-overflow)
  target_link_options(correlare_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(correlare_options INTERFACE CORRELARE_SANITIZED=1)
endif()

# CORRELARE_FUZZ: every library is built with libFuzzer's coverage instrumentation, so
# that the targets in fuzz/ (linked with -fsanitize=fuzzer) see inside them. Needs clang;
# normally combined with CORRELARE_SANITIZE=ON, and the ordinary tests still build and
# run in the same build directory.
if(CORRELARE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CORRELARE_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  target_compile_options(correlare_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
