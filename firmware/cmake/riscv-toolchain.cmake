# Cross toolchain for cimvp's RV32IMC core: Debian's gcc-riscv64-unknown-elf (multilib) and
# picolibc-riscv64-unknown-elf. Used by firmware/ and tests/rtl/isa/.
#
# -march=rv32imc (without _zicsr) together with -misa-spec=2.2 keeps the CSR instructions in
# the base ISA and selects the rv32im/ilp32 multilib; adding _zicsr would fall back to rv64.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(CIMVP_RISCV_PREFIX riscv64-unknown-elf- CACHE STRING "RISC-V cross tool prefix")
find_program(CMAKE_C_COMPILER ${CIMVP_RISCV_PREFIX}gcc REQUIRED)
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJDUMP ${CIMVP_RISCV_PREFIX}objdump)
find_program(CMAKE_OBJCOPY ${CIMVP_RISCV_PREFIX}objcopy)
find_program(CMAKE_SIZE_TOOL ${CIMVP_RISCV_PREFIX}size)

set(CIMVP_RISCV_ARCH_FLAGS "-march=rv32imc -misa-spec=2.2 -mabi=ilp32")
# picolibc only for C (compile and link); the assembly-only ISA tests link with -nostdlib.
set(CMAKE_C_FLAGS_INIT "${CIMVP_RISCV_ARCH_FLAGS} --specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "${CIMVP_RISCV_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${CIMVP_RISCV_ARCH_FLAGS}")

# No cross executables can run on the host: test the compiler with a static library only.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
