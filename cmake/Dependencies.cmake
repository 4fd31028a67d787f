# Every dependency is a Debian 12 package (see scripts/install-deps). Each becomes an
# imported target, linked only by the library that uses it.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_package(Poco REQUIRED COMPONENTS Foundation Util Net)
find_package(RapidJSON REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(LibArchive REQUIRED)
find_package(pugixml REQUIRED)

pkg_check_modules(XAPIAN REQUIRED IMPORTED_TARGET xapian-core)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(LIBMAGIC REQUIRED IMPORTED_TARGET libmagic)
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# RapidJSON ships a config with variables only; wrap it in a target.
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  target_include_directories(RapidJSON::RapidJSON INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
endif()

# CLD2 (language identification) has neither pkg-config nor a CMake config in Debian.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
add_library(CLD2::cld2 UNKNOWN IMPORTED)
set_target_properties(CLD2::cld2 PROPERTIES
  IMPORTED_LOCATION ${CLD2_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CLD2_INCLUDE_DIR})
