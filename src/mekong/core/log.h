// Structured logging: one line per event, "event key=value ..." or JSON, through spdlog.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mekong::log {

using Fields = std::initializer_list<std::pair<std::string_view, std::string>>;

// "trace", "debug", "info", "warn", "error" or "off".
void SetLevel(std::string_view level);
// "text" (event key=value ...) or "json" (one object a line). Values are escaped either way.
void SetFormat(std::string_view format);
void Info(std::string_view event, Fields fields = {});
void Warn(std::string_view event, Fields fields = {});
void Error(std::string_view event, Fields fields = {});
void Debug(std::string_view event, Fields fields = {});

}  // namespace mekong::log
