// Factories of the built-in extractors, one per format file. Private to the library:
// callers go through ExtractorRegistry::WithDefaults().
#pragma once

#include <memory>

#include "extractors/extractor.h"

namespace correlare::extractors {

std::unique_ptr<Extractor> MakePdfExtractor();        // pdf_extractor.cpp (Poppler)
std::unique_ptr<Extractor> MakeOoxmlExtractor();      // ooxml_extractor.cpp (DOCX/XLSX/PPTX)
std::unique_ptr<Extractor> MakeOdfExtractor();        // odf_extractor.cpp (ODT/ODS/ODP)
std::unique_ptr<Extractor> MakeHtmlExtractor();       // html_extractor.cpp (gumbo)
std::unique_ptr<Extractor> MakePlainTextExtractor();  // text_extractor.cpp (uchardet+ICU)
std::unique_ptr<Extractor> MakeSubtitleExtractor();   // subtitle_extractor.cpp (SRT/VTT)
std::unique_ptr<Extractor> MakeArchiveExtractor();    // archive_extractor.cpp (libarchive)

}  // namespace correlare::extractors
