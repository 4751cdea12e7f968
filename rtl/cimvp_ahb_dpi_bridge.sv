// AHB-Lite slave that turns every transfer into one DPI call (docs/core-interface.md).
//
// Reads are performed at the edge that ends the address phase, so zero-wait reads return HRDATA
// in the next cycle and back-to-back transfers pipeline at one per cycle. Writes are performed one
// cycle into the data phase, when HWDATA is valid, so a write always has one wait state. The
// C++ side answers with the number of additional wait states (HREADY held low) or with a
// negative value for an ERROR response, which takes the two cycles AHB-Lite requires.
// All outputs are registered: the master can use them combinationally without loops.
module cimvp_ahb_dpi_bridge #(
    parameter int MASTER = 0  // CIMVP_MASTER_CPU_I / _D, passed to the DPI calls
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [63:0] bus_ctx,
    // address phase
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [1:0]  htrans,   // only bit 1 matters: NONSEQ/SEQ vs IDLE/BUSY
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [31:0] haddr,
    input  logic        hwrite,
    input  logic [2:0]  hsize,
    input  logic [3:0]  hprot,
    // data phase
    input  logic [31:0] hwdata,
    output logic [31:0] hrdata,
    output logic        hready,   // HREADYOUT; the only slave, so also the bus HREADY
    output logic        hresp     // 1 = ERROR
);
  import "DPI-C" function int cimvp_bus_read(input longint ctx, input int master, input int addr,
                                             input int hsize, input int hprot, output int rdata);
  import "DPI-C" function int cimvp_bus_write(input longint ctx, input int master, input int addr,
                                              input int hsize, input int hprot, input int wdata);

  // Data-phase state.
  typedef enum logic [1:0] {
    S_READY,  // no data phase, or one that completes this cycle (HREADY high)
    S_WAIT,   // wait states left in cnt
    S_WRITE,  // first data-phase cycle of a write: HWDATA is valid, perform it at the edge
    S_ERROR1  // first cycle of an ERROR response (HREADY low, HRESP high)
  } state_e;

  state_e      state;
  logic [31:0] cnt;
  logic [31:0] wr_addr;
  logic [2:0]  wr_size;
  logic [3:0]  wr_prot;

  // Next state after the C++ side answered `ws` (wait states or error).
  function automatic void answer(input int ws, output state_e st, output logic rdy,
                                 output logic rsp, output logic [31:0] n);
    n = 32'(ws);
    if (ws < 0) begin
      st = S_ERROR1; rdy = 1'b0; rsp = 1'b1;
    end else if (ws == 0) begin
      st = S_READY; rdy = 1'b1; rsp = 1'b0;
    end else begin
      st = S_WAIT; rdy = 1'b0; rsp = 1'b0;
    end
  endfunction

  always_ff @(posedge clk) begin
    int     ws;
    int     rd;
    state_e st;
    logic   rdy, rsp;
    logic [31:0] n;
    if (!rst_n) begin
      state  <= S_READY;
      hready <= 1'b1;
      hresp  <= 1'b0;
      cnt    <= '0;
    end else begin
      unique case (state)
        S_READY: begin
          // A new address phase is accepted only while HREADY is high (this state: every way
          // into it raises HREADY, so it needs no refreshing here).
          if (htrans[1]) begin
            if (hwrite) begin
              state   <= S_WRITE;
              hready  <= 1'b0;
              hresp   <= 1'b0;
              wr_addr <= haddr;
              wr_size <= hsize;
              wr_prot <= hprot;
            end else begin
              ws = cimvp_bus_read(bus_ctx, MASTER, haddr, {29'd0, hsize}, {28'd0, hprot}, rd);
              hrdata <= rd;
              if (ws == 0) begin  // the common case, kept short (HREADY is already high)
                hresp  <= 1'b0;
              end else begin
                answer(ws, st, rdy, rsp, n);
                state  <= st;
                hready <= rdy;
                hresp  <= rsp;
                cnt    <= n;
              end
            end
          end else begin
            hresp  <= 1'b0;
          end
        end
        S_WRITE: begin
          ws = cimvp_bus_write(bus_ctx, MASTER, wr_addr, {29'd0, wr_size}, {28'd0, wr_prot}, hwdata);
          answer(ws, st, rdy, rsp, n);
          state  <= st;
          hready <= rdy;
          hresp  <= rsp;
          cnt    <= n;
        end
        S_WAIT: begin
          if (cnt == 32'd1) begin
            state  <= S_READY;
            hready <= 1'b1;
          end
          cnt <= cnt - 32'd1;
        end
        S_ERROR1: begin
          // Second ERROR cycle: HRESP stays high, HREADY rises.
          state  <= S_READY;
          hready <= 1'b1;
          hresp  <= 1'b1;
        end
      endcase
    end
  end
endmodule
