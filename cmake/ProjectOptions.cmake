# Warnings and sanitizers travel as INTERFACE targets: a target opts in by linking
# correlare::options, and nothing is set globally.
add_library(correlare_options INTERFACE)
add_library(correlare::options ALIAS correlare_options)

target_compile_options(correlare_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)

if(CORRELARE_SANITIZE)
  target_compile_options(correlare_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(correlare_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(correlare_options INTERFACE CORRELARE_SANITIZED=1)
endif()
