// A small streaming JSON writer and an atomic file write, for stats and results files:
// output is written whole (temp file + rename) or not at all.
#ifndef CIMVP_PLATFORM_JSON_WRITER_H
#define CIMVP_PLATFORM_JSON_WRITER_H

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace cimvp {

class JsonWriter {
public:
    JsonWriter& begin_object(const std::string& key = {});
    JsonWriter& end_object();
    JsonWriter& begin_array(const std::string& key = {});
    JsonWriter& end_array();
    JsonWriter& value(const std::string& key, const std::string& v);
    JsonWriter& value(const std::string& key, const char* v) { return value(key, std::string(v)); }
    JsonWriter& value(const std::string& key, double v);
    JsonWriter& value(const std::string& key, uint64_t v);
    JsonWriter& value(const std::string& key, int64_t v);
    JsonWriter& value(const std::string& key, int v) { return value(key, static_cast<int64_t>(v)); }
    JsonWriter& value(const std::string& key, unsigned v) { return value(key, static_cast<uint64_t>(v)); }
    JsonWriter& value(const std::string& key, bool v);
    std::string str() const { return out_.str(); }

    static std::string escape(const std::string& s);

private:
    void prefix(const std::string& key);
    std::ostringstream out_;
    std::vector<bool> first_;  // per open container: nothing written yet
};

// Writes `text` to `path` through a temporary file in the same directory and a rename, so
// readers never see a partial file. Throws InputError naming the file on failure.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace cimvp

#endif
