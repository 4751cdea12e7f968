#include "config.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <stdexcept>

#include "config_schema.h"
#include "errors.h"

namespace cimvp {

BoardConfig::BoardConfig() {
    flash.base = CIMVP_FLASH_BASE;
    flash.size = CIMVP_FLASH_SIZE;
    sram.base = CIMVP_SRAM_BASE;
    sram.size = CIMVP_SRAM_SIZE;
    uart.base = CIMVP_UART_BASE;
    uart.size = CIMVP_PERIPH_WINDOW;
    timer.base = CIMVP_TIMER_BASE;
    timer.size = CIMVP_PERIPH_WINDOW;
    intc.base = CIMVP_INTC_BASE;
    intc.size = CIMVP_PERIPH_WINDOW;
    simctrl.base = CIMVP_SIMCTRL_BASE;
    simctrl.size = CIMVP_PERIPH_WINDOW;
    audio.base = CIMVP_AUDIO_BASE;
    audio.size = CIMVP_PERIPH_WINDOW;
    dma.base = CIMVP_DMA_BASE;
    dma.size = CIMVP_PERIPH_WINDOW;
    fbank.base = CIMVP_FBANK_BASE;
    fbank.size = CIMVP_PERIPH_WINDOW;
    npu.base = CIMVP_NPU_BASE;
    npu.size = CIMVP_NPU_SIZE;
}

namespace {

std::string join(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

// Walks the schema over a YAML tree: reads present keys, checks types and ranges, and rejects
// keys the schema does not know.
class Reader {
public:
    Reader(YAML::Node root, std::string origin, std::string base_dir)
        : origin_(std::move(origin)), base_dir_(std::move(base_dir)) {
        if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
        if (!root.IsMap()) fail("", "the top level must be a mapping of sections");
        stack_.push_back({root, ""});
    }

    void section(const std::string& name, const std::function<void()>& body) {
        YAML::Node node = lookup(name);
        const std::string path = join(stack_.back().path, name);
        if (!node) {
            // Absent section: read nothing, keep defaults.
            stack_.push_back({YAML::Node(YAML::NodeType::Map), path});
        } else {
            if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);
            if (!node.IsMap()) fail(path, "must be a mapping");
            stack_.push_back({node, path});
        }
        body();
        check_unknown();
        stack_.pop_back();
    }

    template <class T>
    void field(const std::string& name, T& value, const std::string&, Range range) {
        YAML::Node node = lookup(name);
        if (!node) return;
        const std::string path = join(stack_.back().path, name);
        double d = number(node, path);
        if (std::is_integral<T>::value && d != std::floor(d)) fail(path, "must be a whole number, got " + node.Scalar());
        if (d < range.min || d > range.max) fail(path, "value " + node.Scalar() + " is outside [" + fmt(range.min) + ", " + fmt(range.max) + "]");
        value = static_cast<T>(d);
    }
    void hex(const std::string& name, uint64_t& value, const std::string& help, Range range) {
        field(name, value, help, range);
    }
    void flag(const std::string& name, bool& value, const std::string&) {
        YAML::Node node = lookup(name);
        if (!node) return;
        const std::string path = join(stack_.back().path, name);
        if (!node.IsScalar()) fail(path, "must be true or false");
        try {
            value = node.as<bool>();
        } catch (const YAML::Exception&) {
            fail(path, "must be true or false, got '" + node.Scalar() + "'");
        }
    }
    void text(const std::string& name, std::string& value, const std::string&) {
        YAML::Node node = lookup(name);
        if (!node) return;
        if (node.IsNull()) { value.clear(); return; }
        if (!node.IsScalar()) fail(join(stack_.back().path, name), "must be a string");
        value = node.Scalar();
    }
    void path(const std::string& name, std::string& value, const std::string& help) {
        YAML::Node node = lookup(name);
        if (!node) return;
        text(name, value, help);
        namespace fs = std::filesystem;
        if (!value.empty() && fs::path(value).is_relative()) value = (fs::path(base_dir_) / value).lexically_normal().string();
    }
    void choice(const std::string& name, std::string& value, const std::string& help,
                std::initializer_list<const char*> choices) {
        std::string v = value;
        text(name, v, help);
        std::string all;
        for (const char* c : choices) {
            if (v == c) { value = v; return; }
            all += std::string(all.empty() ? "" : ", ") + c;
        }
        fail(join(stack_.back().path, name), "must be one of " + all + ", got '" + v + "'");
    }

    void finish() { check_unknown(); }

    [[noreturn]] void fail(const std::string& path, const std::string& why) const {
        throw InputError("config '" + origin_ + "': " + (path.empty() ? "" : "key '" + path + "' ") + why);
    }

private:
    struct Level {
        YAML::Node node;
        std::string path;
        std::set<std::string> seen;
    };

    YAML::Node lookup(const std::string& name) {
        Level& l = stack_.back();
        l.seen.insert(name);
        return l.node[name];
    }

    void check_unknown() {
        const Level& l = stack_.back();
        for (auto it = l.node.begin(); it != l.node.end(); ++it) {
            const std::string key = it->first.Scalar();
            if (!l.seen.count(key)) fail(join(l.path, key), "is not a known key");
        }
    }

    double number(const YAML::Node& node, const std::string& path) const {
        if (!node.IsScalar()) fail(path, "must be a number");
        const std::string s = node.Scalar();
        try {
            size_t used = 0;
            // Hex addresses are the norm for memory maps; allow 0x and underscores as separators.
            std::string clean;
            for (char ch : s) if (ch != '_') clean += ch;
            double d;
            if (clean.size() > 2 && clean[0] == '0' && (clean[1] == 'x' || clean[1] == 'X')) {
                d = static_cast<double>(std::stoull(clean.substr(2), &used, 16));
                used += 2;
            } else {
                d = std::stod(clean, &used);
            }
            if (used != clean.size() || !std::isfinite(d)) throw std::invalid_argument(s);
            return d;
        } catch (const std::exception&) {
            fail(path, "must be a number, got '" + s + "'");
        }
    }

    static std::string fmt(double d) {
        std::ostringstream os;
        os << d;
        return os.str();
    }

    std::string origin_;
    std::string base_dir_;
    std::vector<Level> stack_;
};

// Walks the schema over a config and emits YAML with the help text as comments.
class Writer {
public:
    Writer() { out_ << YAML::BeginMap; }
    void section(const std::string& name, const std::function<void()>& body) {
        out_ << YAML::Key << name << YAML::Value << YAML::BeginMap;
        body();
        out_ << YAML::EndMap;
    }
    template <class T>
    void field(const std::string& name, T& value, const std::string& help, Range) {
        out_ << YAML::Key << name << YAML::Value << value << YAML::Comment(help);
    }
    void hex(const std::string& name, uint64_t& value, const std::string& help, Range) {
        std::ostringstream os;
        os << "0x" << std::hex << value;
        out_ << YAML::Key << name << YAML::Value << os.str() << YAML::Comment(help);
    }
    void flag(const std::string& name, bool& value, const std::string& help) {
        out_ << YAML::Key << name << YAML::Value << value << YAML::Comment(help);
    }
    void text(const std::string& name, std::string& value, const std::string& help) {
        out_ << YAML::Key << name << YAML::Value << YAML::DoubleQuoted << value << YAML::Comment(help);
    }
    void path(const std::string& name, std::string& value, const std::string& help) { text(name, value, help); }
    void choice(const std::string& name, std::string& value, const std::string& help,
                std::initializer_list<const char*>) {
        text(name, value, help);
    }
    std::string str() {
        out_ << YAML::EndMap;
        return std::string(out_.c_str()) + "\n";
    }

private:
    YAML::Emitter out_;
};

void apply_override(YAML::Node& root, const std::string& spec, const std::string& origin) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError("override '" + spec + "': expected key.path=value");
    const std::string key = spec.substr(0, eq);
    YAML::Node value;
    try {
        value = YAML::Load(spec.substr(eq + 1));
    } catch (const YAML::Exception& e) {
        throw InputError("override '" + spec + "': bad value: " + e.msg);
    }
    // Walk/create the maps along the dotted path. Node assignment in yaml-cpp rebinds, so
    // navigate with reset() on copies.
    std::vector<std::string> parts;
    std::stringstream ss(key);
    for (std::string p; std::getline(ss, p, '.');) {
        if (p.empty()) throw InputError("override '" + spec + "': empty key component");
        parts.push_back(p);
    }
    YAML::Node node;
    node.reset(root);
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        YAML::Node child = node[parts[i]];
        if (!child || child.IsNull()) {
            node[parts[i]] = YAML::Node(YAML::NodeType::Map);
            child = node[parts[i]];
        }
        if (!child.IsMap())
            throw InputError("override '" + spec + "' (on " + origin + "): '" + parts[i] + "' is not a section");
        node.reset(child);
    }
    node[parts.back()] = value;
}

void check_overlaps(const BoardConfig& c, const std::string& origin) {
    struct Named { const char* name; const RegionSection* r; };
    const Named regions[] = {{"flash", &c.flash}, {"sram", &c.sram}, {"uart", &c.uart},
                             {"timer", &c.timer}, {"intc", &c.intc}, {"simctrl", &c.simctrl},
                             {"audio", &c.audio}, {"dma", &c.dma}, {"fbank", &c.fbank},
                             {"npu", &c.npu}};
    for (const auto& a : regions) {
        if (a.r->base + a.r->size > (1ull << 32))
            throw InputError("config '" + origin + "': key '" + a.name + ".size' makes the region end past 0xffffffff");
        if (a.r->base % 4 || a.r->size % 4)
            throw InputError("config '" + origin + "': key '" + a.name + ".base'/'size' must be multiples of 4");
        for (const auto& b : regions) {
            if (&a >= &b) continue;
            if (a.r->base < b.r->base + b.r->size && b.r->base < a.r->base + a.r->size)
                throw InputError("config '" + origin + "': regions '" + a.name + "' and '" + b.name + "' overlap");
        }
    }
}

// Constraints between keys, which the per-key ranges cannot express.
void check_relations(const BoardConfig& c, const std::string& origin) {
    if (c.audio.threshold > c.audio.fifo_depth)
        throw InputError("config '" + origin + "': key 'audio.threshold' (" + std::to_string(c.audio.threshold) +
                         ") exceeds 'audio.fifo_depth' (" + std::to_string(c.audio.fifo_depth) + ")");
    // The tile and energy models check their own consistency (e.g. columns vs bits per cell).
    try {
        c.npu.tile.validate();
        c.npu.energy.validate();
    } catch (const std::invalid_argument& e) {
        throw InputError("config '" + origin + "': npu: " + e.what());
    }
}

}  // namespace

namespace {

// Reads one YAML layer into cfg: keys present in it replace what cfg holds.
void read_layer(BoardConfig& cfg, const std::string& yaml_text, const std::string& origin,
                const std::vector<std::string>& overrides, const std::string& base_dir) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw InputError("config '" + origin + "': YAML syntax error at line " + std::to_string(e.mark.line + 1) +
                         ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) throw InputError("config '" + origin + "': the top level must be a mapping of sections");
    for (const auto& o : overrides) apply_override(root, o, origin);
    Reader reader(root, origin, base_dir);
    visit_board(reader, cfg);
    reader.finish();
}

void check_board(const BoardConfig& cfg, const std::string& origin) {
    check_overlaps(cfg, origin);
    check_relations(cfg, origin);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError("config '" + path + "': cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputError("config '" + path + "': read error");
    return ss.str();
}

std::string dir_of(const std::string& path) {
    namespace fs = std::filesystem;
    return fs::path(path).has_parent_path() ? fs::path(path).parent_path().string() : ".";
}

}  // namespace

BoardConfig parse_config(const std::string& yaml_text, const std::string& origin,
                         const std::vector<std::string>& overrides, const std::string& base_dir) {
    BoardConfig cfg;
    read_layer(cfg, yaml_text, origin, overrides, base_dir);
    check_board(cfg, origin);
    return cfg;
}

BoardConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
    return parse_config(read_text(path), path, overrides, dir_of(path));
}

BoardConfig load_configs(const std::vector<std::string>& paths, const std::vector<std::string>& overrides) {
    BoardConfig cfg;
    std::string origin = "<defaults>";
    for (const std::string& p : paths) {
        read_layer(cfg, read_text(p), p, {}, dir_of(p));
        origin = p;
    }
    if (!overrides.empty()) {
        origin = "--set";
        read_layer(cfg, "", origin, overrides, ".");
    }
    check_board(cfg, origin);
    return cfg;
}

std::string dump_config(const BoardConfig& cfg) {
    BoardConfig copy = cfg;  // the visitor takes non-const references
    Writer w;
    visit_board(w, copy);
    return w.str();
}

double parse_time_ns(const std::string& text) {
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        throw InputError("time '" + text + "': expected a number with a unit (ns, us, ms, s)");
    }
    std::string unit = text.substr(used);
    while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
    double scale;
    if (unit.empty() || unit == "ns") scale = 1;
    else if (unit == "ps") scale = 1e-3;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else throw InputError("time '" + text + "': unknown unit '" + unit + "' (use ns, us, ms or s)");
    if (!(v >= 0) || !std::isfinite(v)) throw InputError("time '" + text + "': must be a non-negative number");
    return v * scale;
}

}  // namespace cimvp
