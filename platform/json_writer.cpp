#include "json_writer.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <cerrno>
#include <iomanip>

#include "errors.h"

namespace cimvp {

std::string JsonWriter::escape(const std::string& s) {
    std::string r;
    r.reserve(s.size() + 2);
    for (unsigned char c : s) {
        switch (c) {
            case '"': r += "\\\""; break;
            case '\\': r += "\\\\"; break;
            case '\n': r += "\\n"; break;
            case '\t': r += "\\t"; break;
            case '\r': r += "\\r"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    r += buf;
                } else {
                    r += static_cast<char>(c);
                }
        }
    }
    return r;
}

void JsonWriter::prefix(const std::string& key) {
    if (!first_.empty()) {
        if (!first_.back()) out_ << ",";
        first_.back() = false;
        out_ << "\n" << std::string(2 * first_.size(), ' ');
    }
    if (!key.empty()) out_ << "\"" << escape(key) << "\": ";
}

JsonWriter& JsonWriter::begin_object(const std::string& key) {
    prefix(key);
    out_ << "{";
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) out_ << "\n" << std::string(2 * first_.size(), ' ');
    out_ << "}";
    if (first_.empty()) out_ << "\n";
    return *this;
}

JsonWriter& JsonWriter::begin_array(const std::string& key) {
    prefix(key);
    out_ << "[";
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) out_ << "\n" << std::string(2 * first_.size(), ' ');
    out_ << "]";
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& key, const std::string& v) {
    prefix(key);
    out_ << "\"" << escape(v) << "\"";
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& key, double v) {
    prefix(key);
    if (!std::isfinite(v)) {
        out_ << "null";  // JSON has no inf/nan
    } else {
        out_ << std::setprecision(10) << v;
    }
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& key, uint64_t v) {
    prefix(key);
    out_ << v;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& key, int64_t v) {
    prefix(key);
    out_ << v;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& key, bool v) {
    prefix(key);
    out_ << (v ? "true" : "false");
    return *this;
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw InputError("cannot write '" + path + "': " + std::strerror(errno));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                    ::fsync(fileno(f)) == 0;
    const int err = errno;
    if (std::fclose(f) != 0 || !ok) {
        std::remove(tmp.c_str());
        throw InputError("cannot write '" + path + "': " + std::strerror(err));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        std::remove(tmp.c_str());
        throw InputError("cannot write '" + path + "': " + std::strerror(e));
    }
}

}  // namespace cimvp
