// The web application's files, served from memory: read once at start-up from the build
// folder (so a request never touches the file system or a path it names), each with its
// content type, a strong ETag and a gzip copy for text. Hashed assets are cached for a year;
// index.html, the service worker and the manifest are revalidated every time. A folder answers
// its index.html (/api/docs); a path that is no file and has no extension is the single-page
// application's: it answers the root index.html.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "mekong/core/status.h"
#include "mekong/http/message.h"

namespace mekong::http {

class StaticFiles {
 public:
  // Reads every file under `root` (at most `max_bytes` in all). A missing folder is an empty
  // set: the server still serves the API and says where the build should be.
  static Result<std::unique_ptr<StaticFiles>> Load(const std::string& root,
                                                   size_t max_bytes = 64 << 20);

  // GET or HEAD of `path` (decoded, starting with "/"), or nullopt when nothing answers it.
  std::optional<Response> Serve(const Request& req, const std::string& path) const;

  size_t count() const { return files_.size(); }
  const std::string& root() const { return root_; }

 private:
  struct File {
    std::string type, body, gzip, etag, cache;
  };
  std::string root_;
  std::map<std::string, File> files_;
};

// The media type for a file name's extension ("application/octet-stream" when unknown).
std::string_view MediaType(std::string_view name);

}  // namespace mekong::http
