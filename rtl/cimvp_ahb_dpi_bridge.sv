// AHB-Lite slave that turns every transfer into one DPI call (docs/core-interface.md).
//
// Reads are performed at the edge that ends the address phase, so zero-wait reads return HRDATA
// in the next cycle and back-to-back transfers pipeline at one per cycle. Writes are performed at
// the edge that ends the first data-phase cycle, when HWDATA is valid. Whether that cycle ends the
// data phase is asked at the address phase (cimvp_bus_write_ready: the C++ side promises zero
// wait states and OKAY, e.g. for DMI memory): then HREADY stays high and a write costs one
// cycle, like a read; otherwise the data phase gets one wait state and the write's own answer
// (more wait states or ERROR) follows. The C++ side answers a transfer with the number of wait
// states (HREADY held low) or with a negative value for an ERROR response, which takes the two
// cycles AHB-Lite requires. All outputs are registered: the master can use them
// combinationally without loops.
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
  import "DPI-C" function int cimvp_bus_write_ready(input longint ctx, input int master, input int addr,
                                                    input int hsize, input int hprot);

  // Data-phase state.
  typedef enum logic [2:0] {
    S_READY,  // no data phase, or one that completes this cycle (HREADY high)
    S_WAIT,   // wait states left in cnt
    S_WRITE,  // first data-phase cycle of a write: HWDATA is valid, perform it at the edge
    S_WFAST,  // ... of a write promised zero wait states: HREADY high, perform it at the edge
    S_ERROR1  // first cycle of an ERROR response (HREADY low, HRESP high)
  } state_e;

  state_e      state;
  logic [31:0] cnt;
  logic [31:0] wr_addr;
  logic [2:0]  wr_size;
  logic [3:0]  wr_prot;

  // The data phase that follows the C++ side's answer `ws` (wait states, or < 0 for an error).
  task automatic respond(input int ws);
    cnt <= 32'(ws);
    if (ws < 0) begin
      state <= S_ERROR1; hready <= 1'b0; hresp <= 1'b1;
    end else if (ws == 0) begin
      state <= S_READY; hready <= 1'b1; hresp <= 1'b0;
    end else begin
      state <= S_WAIT; hready <= 1'b0; hresp <= 1'b0;
    end
  endtask

  always_ff @(posedge clk) begin
    int     ws;
    int     rd;
    if (!rst_n) begin
      state  <= S_READY;
      hready <= 1'b1;
      hresp  <= 1'b0;
      cnt    <= '0;
    end else begin
      if (state == S_READY || state == S_WFAST) begin
        // HREADY is high: a data phase ends at this edge (a fast write's is performed first, so
        // a read of the same address in the next address phase sees it) and a new address
        // phase is accepted (every way into these states raises HREADY: no refreshing here).
        if (state == S_WFAST) begin
          // Answered 0 when asked: its result is that of the promise (a DMI region invalidated
          // in between still gets the data through the C++ side's slow path).
          void'(cimvp_bus_write(bus_ctx, MASTER, wr_addr, {29'd0, wr_size}, {28'd0, wr_prot}, hwdata));
          state <= S_READY;
        end
        if (htrans[1]) begin
          if (hwrite) begin
            wr_addr <= haddr;
            wr_size <= hsize;
            wr_prot <= hprot;
            hresp   <= 1'b0;
            if (cimvp_bus_write_ready(bus_ctx, MASTER, haddr, {29'd0, hsize}, {28'd0, hprot}) != 0) begin
              state  <= S_WFAST;
            end else begin
              state  <= S_WRITE;
              hready <= 1'b0;
            end
          end else begin
            ws = cimvp_bus_read(bus_ctx, MASTER, haddr, {29'd0, hsize}, {28'd0, hprot}, rd);
            hrdata <= rd;
            if (ws == 0) hresp <= 1'b0;  // the common case, kept short (HREADY is already high)
            else respond(ws);
          end
        end else begin
          hresp  <= 1'b0;
        end
      end else begin
        unique case (state)
          S_WRITE: begin
            respond(cimvp_bus_write(bus_ctx, MASTER, wr_addr, {29'd0, wr_size}, {28'd0, wr_prot}, hwdata));
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
          default: ;
        endcase
      end
    end
  end
endmodule
