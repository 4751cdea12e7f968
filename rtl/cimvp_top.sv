// Verilated top: the core and one AHB-Lite-to-DPI bridge per master port
// (docs/core-interface.md is the contract with the C++ platform).
module cimvp_top (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] boot_addr,
    input  logic [63:0] bus_ctx,
    input  logic        irq_timer,
    input  logic        irq_soft,
    input  logic        irq_ext,
    input  logic [63:0] mtime,
    output logic        sleeping,
    output logic [63:0] cycle_count,
    output logic [63:0] instret_count,
    output logic        rvfi_valid,
    output logic [63:0] rvfi_order,
    output logic [31:0] rvfi_insn,
    output logic        rvfi_trap,
    output logic        rvfi_intr,
    output logic [31:0] rvfi_pc_rdata,
    output logic [31:0] rvfi_pc_wdata,
    output logic [4:0]  rvfi_rd_addr,
    output logic [31:0] rvfi_rd_wdata,
    output logic [31:0] rvfi_mem_addr,
    output logic [3:0]  rvfi_mem_rmask,
    output logic [3:0]  rvfi_mem_wmask,
    output logic [31:0] rvfi_mem_rdata,
    output logic [31:0] rvfi_mem_wdata
);
  logic [1:0]  i_htrans, d_htrans;
  logic [31:0] i_haddr, d_haddr, d_hwdata, i_hrdata, d_hrdata;
  logic [2:0]  i_hsize, d_hsize;
  logic [3:0]  i_hprot, d_hprot;
  logic        d_hwrite;
  logic        i_hready, i_hresp, d_hready, d_hresp;

  cimvp_core u_core (.*);

  cimvp_ahb_dpi_bridge #(.MASTER(0)) u_ibus (
      .clk, .rst_n, .bus_ctx,
      .htrans(i_htrans), .haddr(i_haddr), .hwrite(1'b0), .hsize(i_hsize), .hprot(i_hprot),
      .hwdata(32'd0), .hrdata(i_hrdata), .hready(i_hready), .hresp(i_hresp));

  cimvp_ahb_dpi_bridge #(.MASTER(1)) u_dbus (
      .clk, .rst_n, .bus_ctx,
      .htrans(d_htrans), .haddr(d_haddr), .hwrite(d_hwrite), .hsize(d_hsize), .hprot(d_hprot),
      .hwdata(d_hwdata), .hrdata(d_hrdata), .hready(d_hready), .hresp(d_hresp));
endmodule
