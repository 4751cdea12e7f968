// main() for GoogleTest binaries whose tests elaborate SystemC modules.
//
// SystemC elaborates once per process, so every TEST runs in its own process (ctest entries from
// gtest_discover_tests, each with --gtest_filter). Linked as an object file so this main() wins
// over the one in libsystemc, whose reference to sc_main is satisfied by the stub below.
#include <cstdlib>

#include <gtest/gtest.h>
#include <systemc>

int sc_main(int, char*[]) { return 0; }  // never called

int main(int argc, char** argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
