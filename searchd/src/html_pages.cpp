#include "html_pages.h"

#include "json_codec.h"
#include "utf8.h"

namespace correlare::searchd {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : ToValidUtf8(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" +
         Escape(title) + "</title>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
}

}  // namespace

std::string HomePageHtml() {
  return Page("Correlare",
              "<h1>Correlare</h1>\n"
              "<p>L'interfaccia web non &egrave; ancora pronta.</p>\n"
              "<p>Nel frattempo la ricerca &egrave; disponibile attraverso l'API, per esempio "
              "<a href=\"/api/search?q=permesso+di+soggiorno\">/api/search?q=permesso di "
              "soggiorno</a>.</p>\n"
              "<p>Altri indirizzi: <a href=\"/api/taxonomy\">/api/taxonomy</a>, "
              "<a href=\"/api/stats\">/api/stats</a>.</p>\n");
}

std::string DocumentPageHtml(const schema::DocumentRecord& record) {
  std::string title = record.title.empty() ? record.id : record.title;
  return Page(title + " - Correlare",
              "<h1>" + Escape(title) +
                  "</h1>\n"
                  "<p>La pagina del documento non &egrave; ancora pronta.</p>\n"
                  "<ul>\n"
                  "<li><a href=\"/api/documents/" +
                  Escape(record.id) +
                  "\">Scheda (JSON)</a></li>\n"
                  "<li><a href=\"" +
                  Escape(TextPath(record.id)) +
                  "\">Testo estratto</a></li>\n"
                  "<li><a href=\"" +
                  Escape(DownloadPath(record.id)) +
                  "\">Scarica l'originale</a></li>\n"
                  "</ul>\n"
                  "<p><a href=\"/api/search?q=\">Cerca nell'archivio</a></p>\n");
}

}  // namespace correlare::searchd
