#include "mekong/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mekong/core/crypto.h"
#include "mekong/interop/zlib_codec.h"

namespace mekong::http {

namespace {

bool Accepts(std::string_view header, std::string_view coding) {
  for (size_t at = 0; at < header.size();) {
    size_t comma = header.find(',', at);
    std::string_view item =
        header.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string_view name = item.substr(0, item.find(';'));
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == coding && item.find("q=0") == std::string_view::npos) return true;
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return false;
}

bool Compressible(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type.find("javascript") != std::string_view::npos ||
         type.find("json") != std::string_view::npos ||
         type.find("svg") != std::string_view::npos ||
         type.find("manifest") != std::string_view::npos;
}

}  // namespace

std::string_view MediaType(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  auto it = kTypes.find(name.substr(dot));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::Load(const std::string& root, size_t max_bytes) {
  auto out = std::make_unique<StaticFiles>();
  out->root_ = root;
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_directory(root, ec)) return out;
  size_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel = "/" + std::filesystem::relative(it->path(), root).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    File f;
    f.body = ss.str();
    total += f.body.size();
    if (total > max_bytes) {
      return Status::FailedPrecondition("the web root " + root + " holds more than " +
                                        std::to_string(max_bytes) + " bytes");
    }
    f.type = std::string(MediaType(rel));
    f.etag = "\"" + HexEncode(Sha256(f.body)).substr(0, 20) + "\"";
    // Vite names assets by their content's hash: they never change under one name.
    f.cache = rel.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
    if (Compressible(f.type) && f.body.size() > 256) {
      std::string gz = interop::Gzip(f.body);
      if (gz.size() < f.body.size()) f.gzip = std::move(gz);
    }
    out->files_[rel] = std::move(f);
  }
  if (ec) return Status::Unavailable("cannot read the web root " + root + ": " + ec.message());
  return out;
}

std::optional<Response> StaticFiles::Serve(const Request& req, const std::string& path) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  auto it = files_.find(path == "/" ? "/index.html" : path);
  if (it == files_.end()) {
    // A folder's own page ("/api/docs" is api/docs/index.html).
    std::string folder = path.ends_with("/") ? path.substr(0, path.size() - 1) : path;
    it = files_.find(folder + "/index.html");
  }
  if (it == files_.end()) {
    // A route of the application ("/tracer/cases/12"), not a missing asset ("/app.js").
    std::string last = path.substr(path.rfind('/') + 1);
    if (last.find('.') != std::string::npos) return std::nullopt;
    it = files_.find("/index.html");
    if (it == files_.end()) return std::nullopt;
  }
  const File& f = it->second;
  Response r;
  r.head_only = req.method == "HEAD";
  r.content_type = f.type;
  r.headers.emplace_back("ETag", f.etag);
  r.headers.emplace_back("Cache-Control", f.cache);
  if (!f.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (req.if_none_match == f.etag) {
    r.status = 304;
    return r;
  }
  if (!f.gzip.empty() && Accepts(req.accept_encoding, "gzip")) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = f.gzip;
  } else {
    r.body = f.body;
  }
  return r;
}

}  // namespace mekong::http
