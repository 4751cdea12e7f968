// JSON output and the all-or-nothing file write used for stats and results.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "errors.h"
#include "json_writer.h"

using namespace cimvp;

TEST(JsonWriter, NestsAndEscapes) {
    JsonWriter w;
    w.begin_object().value("name", "a\"b\\c\n").value("n", uint64_t{42}).value("x", 1.5).value("ok", true);
    w.begin_array("list").begin_object().value("i", 1).end_object().end_array();
    w.begin_object("empty").end_object();
    w.end_object();
    EXPECT_EQ(w.str(),
              "{\n  \"name\": \"a\\\"b\\\\c\\n\",\n  \"n\": 42,\n  \"x\": 1.5,\n  \"ok\": true,\n"
              "  \"list\": [\n    {\n      \"i\": 1\n    }\n  ],\n  \"empty\": {}\n}\n");
}

TEST(JsonWriter, NonFiniteBecomesNull) {
    JsonWriter w;
    w.begin_object().value("inf", 1.0 / 0.0).end_object();
    EXPECT_NE(w.str().find("\"inf\": null"), std::string::npos) << w.str();
}

TEST(AtomicWrite, WritesWholeFile) {
    const std::string path = ::testing::TempDir() + "/stats.json";
    write_file_atomically(path, "{\"a\": 1}\n");
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), "{\"a\": 1}\n");
    for (const auto& e : std::filesystem::directory_iterator(::testing::TempDir()))
        EXPECT_EQ(e.path().string().find("stats.json.tmp"), std::string::npos) << "temporary left behind: " << e.path();
}

TEST(AtomicWrite, FailureNamesTheFileAndLeavesNothing) {
    const std::string path = "/nonexistent-dir/stats.json";
    try {
        write_file_atomically(path, "x");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}
