# AHB interconnect and address decoding (included by platform/CMakeLists.txt).
# address_map.cpp is plain C++; tests may compile it alone, without SystemC.
add_library(cimvp_bus STATIC
  ${CMAKE_CURRENT_LIST_DIR}/address_map.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ahb_bus.cpp)
target_include_directories(cimvp_bus PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(cimvp_bus PUBLIC PkgConfig::SYSTEMC)
