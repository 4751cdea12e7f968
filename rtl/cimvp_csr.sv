// Machine-mode CSRs, trap entry/return and interrupt selection.
//
// The core reads CSRs combinationally in execute and writes them at the end of that cycle.
// Traps and mret also take effect at the end of the cycle in which they are decided; the core
// redirects fetch to `trap_vector` / `mepc` in that same cycle.
module cimvp_csr (
    input  logic        clk,
    input  logic        rst_n,
    // interrupt lines and time, straight from the top ports
    input  logic        irq_timer,
    input  logic        irq_soft,
    input  logic        irq_ext,
    input  logic [63:0] mtime,
    // CSR access from execute
    input  logic        re,         // a CSR instruction is in execute (gates the read decoder)
    input  logic [11:0] addr,
    output logic [31:0] rdata,
    output logic        exists,     // addr names an implemented CSR
    input  logic        we,         // write (already checked legal, instruction commits)
    input  logic [31:0] wdata,
    // retirement counting: +1 per instruction committed in execute, -1 when a load/store
    // counted there faults later in the data phase
    input  logic        instret_inc,
    input  logic        instret_dec,
    // trap entry and return
    input  logic        trap,       // take a trap at the end of this cycle
    input  logic        trap_irq,   // ... it is an interrupt (cause = irq_cause)
    input  logic [3:0]  trap_cause, // exception code
    input  logic [31:0] trap_epc,
    input  logic [31:0] trap_tval,
    input  logic        mret,
    output logic [31:0] exc_vector,   // where exceptions go (mtvec base)
    output logic [31:0] irq_vector,   // where the pending interrupt goes (base + 4*cause if vectored)
    output logic [31:0] mepc_o,
    // interrupts
    output logic        irq_pending,  // enabled interrupt pending and mstatus.MIE set: take it
    output logic        wake,         // any enabled interrupt pending on the inputs (ends wfi)
    output logic [63:0] mcycle_o,
    output logic [63:0] minstret_o
);
  logic        mstatus_mie, mstatus_mpie;
  logic        mie_msie, mie_mtie, mie_meie;
  logic [31:2] mtvec_base;
  logic        mtvec_vec;
  logic [31:0] mscratch, mepc, mtval, mcause;
  logic [63:0] mcycle, minstret, time_q;
  logic        meip_q, mtip_q, msip_q;  // registered: keeps the inputs out of the core's logic

  logic [31:0] mip, mie;
  logic [3:0]  irq_cause;

  assign mip = {20'd0, meip_q, 3'd0, mtip_q, 3'd0, msip_q, 3'd0};
  assign mie = {20'd0, mie_meie, 3'd0, mie_mtie, 3'd0, mie_msie, 3'd0};
  assign mepc_o = mepc;
  assign mcycle_o = mcycle;
  assign minstret_o = minstret;
  assign irq_pending = mstatus_mie & ((meip_q & mie_meie) | (mtip_q & mie_mtie) | (msip_q & mie_msie));
  // Combinational from the inputs so that `sleeping` can drop as soon as an interrupt arrives.
  assign wake = (irq_ext & mie_meie) | (irq_timer & mie_mtie) | (irq_soft & mie_msie);
  assign exc_vector = {mtvec_base, 2'b00};
  // Cause and vector of the pending interrupt, worked out only when there is one (they are
  // used only when it is taken). Priority MEI > MSI > MTI (privileged spec).
  always_comb begin
    irq_cause  = 4'd7;
    irq_vector = exc_vector;
    if (irq_pending) begin
      irq_cause  = (meip_q & mie_meie) ? 4'd11 : (msip_q & mie_msie) ? 4'd3 : 4'd7;
      irq_vector = {mtvec_base, 2'b00} + (mtvec_vec ? {26'd0, irq_cause, 2'b00} : 32'd0);
    end
  end

  always_comb begin
    exists = 1'b1;
    rdata  = 32'd0;
    if (re) unique case (addr)
      12'h300: rdata = {19'd0, 2'b11, 3'd0, mstatus_mpie, 3'd0, mstatus_mie, 3'd0};  // MPP = M
      12'h301: rdata = 32'h40001104;  // misa: RV32 I M C
      12'h304: rdata = mie;
      12'h305: rdata = {mtvec_base, 1'b0, mtvec_vec};
      12'h340: rdata = mscratch;
      12'h341: rdata = mepc;
      12'h342: rdata = mcause;
      12'h343: rdata = mtval;
      12'h344: rdata = mip;
      12'hB00, 12'hC00: rdata = mcycle[31:0];
      12'hB80, 12'hC80: rdata = mcycle[63:32];
      12'hB02, 12'hC02: rdata = minstret[31:0];
      12'hB82, 12'hC82: rdata = minstret[63:32];
      12'hC01: rdata = time_q[31:0];
      12'hC81: rdata = time_q[63:32];
      12'hF11, 12'hF12, 12'hF13, 12'hF14: rdata = 32'd0;  // mvendorid, marchid, mimpid, mhartid
      default: begin
        rdata  = 32'd0;
        exists = 1'b0;
      end
    endcase
  end

  always_ff @(posedge clk) begin
    meip_q <= irq_ext;
    mtip_q <= irq_timer;
    msip_q <= irq_soft;
    time_q <= mtime;
    if (!rst_n) begin
      mstatus_mie  <= 1'b0;
      mstatus_mpie <= 1'b0;
      mie_msie     <= 1'b0;
      mie_mtie     <= 1'b0;
      mie_meie     <= 1'b0;
      mtvec_base   <= '0;
      mtvec_vec    <= 1'b0;
      mepc         <= '0;
      mcause       <= '0;
      mtval        <= '0;
      mcycle       <= '0;
      minstret     <= '0;
    end else begin
      // Counters: a CSR write (below, later so it wins) replaces the increment of the writing
      // instruction.
      mcycle <= mcycle + 64'd1;
      if (instret_inc != instret_dec) minstret <= instret_inc ? minstret + 64'd1 : minstret - 64'd1;
      // A CSR write never comes with a trap or an mret (the core guarantees it), so the rare
      // cases share one test in the common one.
      if (trap) begin
        mstatus_mpie <= mstatus_mie;
        mstatus_mie  <= 1'b0;
        mepc         <= trap_epc;
        mcause       <= {trap_irq, 27'd0, trap_irq ? irq_cause : trap_cause};
        mtval        <= trap_tval;
      end else if (mret) begin
        mstatus_mie  <= mstatus_mpie;
        mstatus_mpie <= 1'b1;
      end else if (we) begin
        unique case (addr)
          12'h300: begin
            mstatus_mie  <= wdata[3];
            mstatus_mpie <= wdata[7];
          end
          12'h304: begin
            mie_msie <= wdata[3];
            mie_mtie <= wdata[7];
            mie_meie <= wdata[11];
          end
          12'h305: begin
            mtvec_base <= wdata[31:2];
            mtvec_vec  <= wdata[1:0] == 2'b01;  // modes >= 2 are reserved: fall back to direct
          end
          12'h340: mscratch <= wdata;
          12'h341: mepc <= {wdata[31:1], 1'b0};  // IALIGN = 16
          12'h342: mcause <= wdata;
          12'h343: mtval <= wdata;
          12'hB00: mcycle <= {mcycle[63:32], wdata};
          12'hB80: mcycle <= {wdata, mcycle[31:0]};
          12'hB02: minstret <= {minstret[63:32], wdata};
          12'hB82: minstret <= {wdata, minstret[31:0]};
          default: ;  // misa, mip: WARL / read-only bits, writes ignored
        endcase
      end
    end
  end
endmodule
