// Helpers shared by the office extractor tests (OOXML, ODF): a ZIP writer, so that small
// packages can be built in memory without an archive library.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace correlare::testing {

// Entries of a ZIP in the order they are written: (name, data).
using ZipEntries = std::vector<std::pair<std::string, std::string>>;

namespace internal {

inline void PutLe(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

inline uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace internal

// A ZIP with every entry stored (not compressed), with correct CRCs and a central
// directory: enough for an office package. REQUIRES: no ZIP64 (under 65535 entries and
// 4 GiB in all).
inline std::string StoredZip(const ZipEntries& entries) {
  using internal::PutLe;
  std::string zip, directory;
  for (const auto& entry : entries) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const auto& name = entry.first;
    const auto& data = entry.second;
    uint32_t offset = static_cast<uint32_t>(zip.size());
    uint32_t crc = internal::Crc32(data);
    auto common = [&](std::string& out) {
      PutLe(out, 20, 2);    // version needed
      PutLe(out, 0, 2);     // flags
      PutLe(out, 0, 2);     // method: stored
      PutLe(out, 0, 2);     // time
      PutLe(out, 0x21, 2);  // date: 1980-01-01
      PutLe(out, crc, 4);
      PutLe(out, static_cast<uint32_t>(data.size()), 4);
      PutLe(out, static_cast<uint32_t>(data.size()), 4);
      PutLe(out, static_cast<uint32_t>(name.size()), 2);
      PutLe(out, 0, 2);  // extra length
    };
    PutLe(zip, 0x04034b50, 4);
    common(zip);
    zip += name;
    zip += data;
    PutLe(directory, 0x02014b50, 4);
    PutLe(directory, 20, 2);  // version made by
    common(directory);
    PutLe(directory, 0, 2);  // comment length
    PutLe(directory, 0, 2);  // disk
    PutLe(directory, 0, 2);  // internal attributes
    PutLe(directory, 0, 4);  // external attributes
    PutLe(directory, offset, 4);
    directory += name;
  }
  uint32_t directory_offset = static_cast<uint32_t>(zip.size());
  zip += directory;
  PutLe(zip, 0x06054b50, 4);
  PutLe(zip, 0, 4);
  PutLe(zip, static_cast<uint32_t>(entries.size()), 2);
  PutLe(zip, static_cast<uint32_t>(entries.size()), 2);
  PutLe(zip, static_cast<uint32_t>(directory.size()), 4);
  PutLe(zip, directory_offset, 4);
  PutLe(zip, 0, 2);
  return zip;
}

// Flips a byte in the middle of `data`, the stored content of an entry of `zip`, so that
// the entry no longer matches its CRC. REQUIRES: `data` is longer than a byte and occurs
// in `zip` only as that entry's content.
inline void DamageStoredData(std::string& zip, const std::string& data) {
  size_t at = zip.find(data);
  if (at != std::string::npos) zip[at + data.size() / 2] ^= 0x55;
}

}  // namespace correlare::testing
