// cimvp RV32IMC + Zicsr + Zifencei core, machine mode only.
//
// Three stages, one instruction per cycle:
//   IF  instruction-bus address phase (aligned words into a 3-halfword realignment queue)
//   EX  instruction-bus data phase: realign/expand, decode, register read with forwarding,
//       execute, branch resolution (redirects the IF address phase of the same cycle, so taken
//       branches cost nothing), CSR access, traps, and the data-bus address phase
//   WB  data-bus data phase: load data to the register file (and forwarded to EX), bus errors
// Non-load results are written to the register file at the end of EX; every instruction passes
// through WB so that retirement (RVFI) stays in program order, one per cycle. The only stalls are
// bus wait states (a store to a device has at least one: the bridge gives zero-wait data phases
// only to writes the C++ side promised to complete at once, i.e. DMI memory), divides and fetch
// bubbles (a branch to a 32-bit instruction straddling a word boundary costs one cycle).
module cimvp_core (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] boot_addr,
    input  logic        irq_timer,
    input  logic        irq_soft,
    input  logic        irq_ext,
    input  logic [63:0] mtime,
    output logic        sleeping,
    output logic [63:0] cycle_count,
    output logic [63:0] instret_count,

    // AHB-Lite instruction master (read-only)
    output logic [1:0]  i_htrans,
    output logic [31:0] i_haddr,
    output logic [2:0]  i_hsize,
    output logic [3:0]  i_hprot,
    input  logic [31:0] i_hrdata,
    input  logic        i_hready,
    input  logic        i_hresp,
    // AHB-Lite data master
    output logic [1:0]  d_htrans,
    output logic [31:0] d_haddr,
    output logic        d_hwrite,
    output logic [2:0]  d_hsize,
    output logic [3:0]  d_hprot,
    output logic [31:0] d_hwdata,
    input  logic [31:0] d_hrdata,
    input  logic        d_hready,
    input  logic        d_hresp,

    // retirement trace (docs/core-interface.md), valid after the edge, from the WB stage
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
  localparam logic [6:0] OP_LUI = 7'b0110111, OP_AUIPC = 7'b0010111, OP_JAL = 7'b1101111,
                         OP_JALR = 7'b1100111, OP_BR = 7'b1100011, OP_LOAD = 7'b0000011,
                         OP_STORE = 7'b0100011, OP_IMM = 7'b0010011, OP_OP = 7'b0110011,
                         OP_FENCE = 7'b0001111, OP_SYS = 7'b1110011;

  // ------------------------------------------------------------------------------------------
  // State
  // ------------------------------------------------------------------------------------------
  logic [31:0] rf [32];       // x0 is cleared at reset and never written

  // fetch
  logic [31:0] pc_q;          // address of the next instruction to execute
  logic [47:0] q;             // realignment queue: halfwords at pc_q, pc_q+2, pc_q+4
  logic [2:0]  qe;            // ... their fetch-error flags
  logic [1:0]  qn;            // ... how many are valid
  logic [31:2] f_addr;        // next word to fetch
  logic        f_skip;        // its low halfword is before pc (branch to pc[1] = 1)
  logic        dp_valid;      // an instruction fetch is in its data phase
  logic        dp_discard;    // ... and was made stale by a redirect
  logic        dp_skip;       // ... and its low halfword is to be dropped

  logic        sleep_q;       // in wfi

  // Retirement trace wanted (plusarg +cimvp_rvfi): the RVFI record is maintained only then.
  bit          trace_en;
  initial trace_en = $test$plusargs("cimvp_rvfi") != 0;
  logic        intr_next;     // the next record is the first of a trap handler

  // WB stage (data phase of loads/stores, and the retirement record of every instruction)
  logic        wb_valid;      // a record to retire
  logic        wb_mem;        // a load/store in its data phase
  logic        wb_load;
  logic        wb_ldw;        // a load writing a register (rd != 0): forwarded to EX
  logic [1:0]  wb_size;
  logic        wb_uns;
  logic [4:0]  wb_rd;
  logic [31:0] wb_rd_wdata;
  logic [31:0] wb_addr;
  logic [31:0] wb_npc;
  logic        wb_trap;
  // rvfi_order, _insn, _intr, _pc_rdata, _mem_rmask, _mem_wmask and _mem_wdata (= HWDATA of a
  // store) are WB-stage registers themselves: the model copies less per cycle.

  // ------------------------------------------------------------------------------------------
  // CSRs and M extension
  // ------------------------------------------------------------------------------------------
  logic [31:0] instr;
  logic [31:0] csr_rdata;
  logic        csr_exists;
  logic        csr_we;
  logic [31:0] csr_wdata;
  logic        instret_inc, instret_dec;
  logic        trap, trap_irq;
  logic [3:0]  trap_cause;
  logic [31:0] trap_epc, trap_tval;
  logic        do_mret;
  logic [31:0] exc_vector, irq_vector, mepc;
  logic        irq_pending, wake;

  cimvp_csr u_csr (
      .clk, .rst_n, .irq_timer, .irq_soft, .irq_ext, .mtime,
      .re(instr[6:0] == OP_SYS), .addr(instr[31:20]), .rdata(csr_rdata), .exists(csr_exists), .we(csr_we), .wdata(csr_wdata),
      .instret_inc, .instret_dec,
      .trap, .trap_irq, .trap_cause, .trap_epc, .trap_tval, .mret(do_mret),
      .exc_vector, .irq_vector, .mepc_o(mepc), .irq_pending, .wake,
      .mcycle_o(cycle_count), .minstret_o(instret_count));

  logic [31:0] op_a, op_b;
  logic [31:0] mul_result, div_result;
  logic        div_start, div_clear, div_done;

  cimvp_muldiv u_muldiv (
      .clk, .rst_n, .mul_en(instr[6:0] == OP_OP && instr[25] && !instr[14]), .funct3(instr[13:12]),
      .a(op_a), .b(op_b), .mul_result,
      .div_start, .div_clear, .div_done, .div_result);

  // ------------------------------------------------------------------------------------------
  // Fetch stream: queued halfwords followed by the word arriving on the bus this cycle
  // ------------------------------------------------------------------------------------------
  logic [63:0] stream;
  logic [3:0]  stream_e;
  logic [2:0]  avail;         // valid halfwords in the stream
  logic [15:0] h0, h1;
  logic        e0, e1;

  logic        in_v;          // the fetch data phase delivers a word this cycle
  logic [31:0] in_h;          // ... its halfwords still wanted (the low one dropped after a skip)
  logic [1:0]  in_e;
  logic [1:0]  in_n;
  assign in_v = dp_valid && i_hready && !dp_discard;
  assign in_h = dp_skip ? {16'h0, i_hrdata[31:16]} : i_hrdata;
  assign in_e = dp_skip ? {1'b0, i_hresp} : {2{i_hresp}};
  assign in_n = !in_v ? 2'd0 : dp_skip ? 2'd1 : 2'd2;
  // A word arrives only if the queue held at most one halfword when it was requested.
  assign stream   = qn == 2'd0 ? {32'h0, in_h} : qn == 2'd1 ? {16'h0, in_h, q[15:0]} : {16'h0, q};
  assign stream_e = qn == 2'd0 ? {2'b0, in_e} : qn == 2'd1 ? {1'b0, in_e, qe[0]} : {1'b0, qe};
  assign avail = {1'b0, qn} + {1'b0, in_n};
  assign h0 = stream[15:0];
  assign h1 = stream[31:16];
  assign e0 = stream_e[0];
  assign e1 = stream_e[1];

  logic [31:0] c_instr;
  logic        c_illegal;
  cimvp_decompress u_decompress (.c(h0), .instr(c_instr), .illegal(c_illegal));

  // ------------------------------------------------------------------------------------------
  // Instruction and operands
  // ------------------------------------------------------------------------------------------
  logic        is_c;
  logic        have;          // a whole instruction (or a fetch fault) is at pc_q
  logic        fetch_fault;
  logic [31:0] ld_data;       // WB load data, aligned and extended

  always_comb begin
    logic [31:0] sh;
    sh = 32'd0;
    ld_data = 32'd0;
    if (wb_load) begin
      sh = d_hrdata >> {wb_addr[1:0], 3'b000};
      unique case (wb_size)
        2'd0: ld_data = {{24{~wb_uns & sh[7]}}, sh[7:0]};
        2'd1: ld_data = {{16{~wb_uns & sh[15]}}, sh[15:0]};
        default: ld_data = sh;
      endcase
    end
  end

  always_comb begin
    logic [4:0] rs1, rs2;
    is_c  = h0[1:0] != 2'b11;
    instr = is_c ? c_instr : {h1, h0};
    have  = avail != 3'd0 && (is_c || e0 || avail[2:1] != 2'd0);
    fetch_fault = e0 || (!is_c && e1);
    rs1 = instr[19:15];
    rs2 = instr[24:20];
    // Forward a load completing in WB; non-load results are already in the register file.
    op_a = (wb_ldw && wb_rd == rs1) ? ld_data : rf[rs1];
    op_b = (wb_ldw && wb_rd == rs2) ? ld_data : rf[rs2];
  end

  // ------------------------------------------------------------------------------------------
  // Execute
  // ------------------------------------------------------------------------------------------
  logic        wb_stall, wb_fault, irq_take, ex_go;
  logic        exc;
  logic [3:0]  exc_cause;
  logic [31:0] exc_tval;
  logic        rd_we;
  logic [31:0] rd_val;
  logic        jump;
  logic [31:0] jump_target, npc_seq;
  logic        mem, mem_write, mem_uns;
  logic [1:0]  mem_size;
  logic [31:0] mem_addr, mem_wdata;
  logic [3:0]  mem_mask;
  logic        is_csr, csr_write, is_mret, is_wfi, is_fencei, is_div;
  logic        redirect;
  logic [31:0] target;
  logic [1:0]  consumed;

  always_comb begin
    logic [31:0] imm;
    logic        illegal;
    logic [2:0]  f3;
    logic [6:0]  f7;
    logic [31:0] csr_src;

    f3 = instr[14:12];
    f7 = instr[31:25];
    npc_seq = pc_q + (is_c ? 32'd2 : 32'd4);
    exc = 1'b0;
    exc_cause = 4'd0;
    exc_tval = 32'd0;
    illegal = 1'b0;
    rd_we = 1'b0;
    rd_val = 32'd0;
    jump = 1'b0;
    jump_target = 32'd0;
    mem = 1'b0;
    mem_write = 1'b0;
    mem_uns = 1'b0;
    mem_size = 2'd0;
    mem_addr = 32'd0;
    mem_wdata = 32'd0;
    mem_mask = 4'd0;
    is_csr = 1'b0;
    csr_write = 1'b0;
    csr_wdata = 32'd0;
    is_mret = 1'b0;
    is_wfi = 1'b0;
    is_fencei = 1'b0;
    is_div = 1'b0;
    imm = 32'd0;
    csr_src = 32'd0;

    if (fetch_fault) begin
      exc = 1'b1;
      exc_cause = 4'd1;
      exc_tval = e0 ? pc_q : pc_q + 32'd2;  // the halfword whose fetch failed
    end else if (is_c && c_illegal) begin
      illegal = 1'b1;
    end else begin
      // instr[1:0] is always 11 here (a compressed instruction was expanded or is illegal).
      unique case (instr[6:2])
        OP_LUI[6:2]: begin
          rd_we = 1'b1;
          rd_val = {instr[31:12], 12'd0};
        end
        OP_AUIPC[6:2]: begin
          rd_we = 1'b1;
          rd_val = pc_q + {instr[31:12], 12'd0};
        end
        OP_JAL[6:2]: begin
          rd_we = 1'b1;
          rd_val = npc_seq;
          jump = 1'b1;
          jump_target = pc_q + {{12{instr[31]}}, instr[19:12], instr[20], instr[30:21], 1'b0};
        end
        OP_JALR[6:2]: begin
          rd_we = 1'b1;
          rd_val = npc_seq;
          jump = 1'b1;
          jump_target = (op_a + {{20{instr[31]}}, instr[31:20]}) & ~32'd1;
          illegal = f3 != 3'd0;
        end
        OP_BR[6:2]: begin
          unique case (f3)
            3'b000: jump = op_a == op_b;
            3'b001: jump = op_a != op_b;
            3'b100: jump = $signed(op_a) < $signed(op_b);
            3'b101: jump = $signed(op_a) >= $signed(op_b);
            3'b110: jump = op_a < op_b;
            3'b111: jump = op_a >= op_b;
            default: illegal = 1'b1;
          endcase
          jump_target = pc_q + {{20{instr[31]}}, instr[7], instr[30:25], instr[11:8], 1'b0};
        end
        OP_LOAD[6:2], OP_STORE[6:2]: begin
          mem = 1'b1;
          mem_write = instr[5];
          mem_size = f3[1:0];
          mem_uns = f3[2];
          imm = instr[5] ? {{20{instr[31]}}, instr[31:25], instr[11:7]}
                         : {{20{instr[31]}}, instr[31:20]};
          mem_addr = op_a + imm;
          rd_we = !instr[5];  // the register is written in WB
          if (instr[5]) illegal = f3[2] || f3[1:0] == 2'b11;
          else illegal = f3[1:0] == 2'b11 || f3 == 3'b110;
          unique case (f3[1:0])
            2'b00: begin
              mem_mask = 4'b0001 << mem_addr[1:0];
              mem_wdata = {4{op_b[7:0]}};
            end
            2'b01: begin
              mem_mask = 4'b0011 << mem_addr[1:0];
              mem_wdata = {2{op_b[15:0]}};
            end
            default: begin
              mem_mask = 4'b1111;
              mem_wdata = op_b;
            end
          endcase
          // Misaligned accesses trap without touching the bus.
          if (!illegal && ((f3[0] && mem_addr[0]) || (f3[1] && mem_addr[1:0] != 2'b00))) begin
            exc = 1'b1;
            exc_cause = instr[5] ? 4'd6 : 4'd4;
            exc_tval = mem_addr;
          end
        end
        OP_IMM[6:2], OP_OP[6:2]: begin
          rd_we = 1'b1;
          imm = instr[5] ? op_b : {{20{instr[31]}}, instr[31:20]};
          if (instr[5] && f7 == 7'b0000001) begin
            // M extension
            if (f3[2]) begin
              is_div = 1'b1;
              rd_val = div_result;
            end else begin
              rd_val = mul_result;
            end
          end else begin
            unique case (f3)
              3'b000: begin
                rd_val = (instr[5] && f7[5]) ? op_a - imm : op_a + imm;
                illegal = instr[5] && f7 != 7'b0000000 && f7 != 7'b0100000;
              end
              3'b001: begin
                rd_val = op_a << imm[4:0];
                illegal = f7 != 7'b0000000;
              end
              3'b010: begin
                rd_val = {31'd0, $signed(op_a) < $signed(imm)};
                illegal = instr[5] && f7 != 7'b0000000;
              end
              3'b011: begin
                rd_val = {31'd0, op_a < imm};
                illegal = instr[5] && f7 != 7'b0000000;
              end
              3'b100: begin
                rd_val = op_a ^ imm;
                illegal = instr[5] && f7 != 7'b0000000;
              end
              3'b101: begin
                rd_val = f7[5] ? 32'($signed(op_a) >>> imm[4:0]) : op_a >> imm[4:0];
                illegal = f7 != 7'b0000000 && f7 != 7'b0100000;
              end
              3'b110: begin
                rd_val = op_a | imm;
                illegal = instr[5] && f7 != 7'b0000000;
              end
              3'b111: begin
                rd_val = op_a & imm;
                illegal = instr[5] && f7 != 7'b0000000;
              end
            endcase
          end
        end
        OP_FENCE[6:2]: begin
          // fence: the bus is in order, nothing to do. fence.i: refetch after this instruction.
          is_fencei = f3 == 3'b001;
          illegal = f3[2:1] != 2'b00;
        end
        OP_SYS[6:2]: begin
          if (f3 == 3'b000) begin
            unique case (instr)
              32'h0000_0073: begin  // ecall
                exc = 1'b1;
                exc_cause = 4'd11;
              end
              32'h0010_0073: begin  // ebreak
                exc = 1'b1;
                exc_cause = 4'd3;
                exc_tval = pc_q;
              end
              32'h3020_0073: is_mret = 1'b1;
              32'h1050_0073: is_wfi = 1'b1;
              default: illegal = 1'b1;
            endcase
          end else begin
            // Zicsr: csrrs/csrrc with rs1/uimm = 0 only read (no write-side checks).
            is_csr = 1'b1;
            csr_src = f3[2] ? {27'd0, instr[19:15]} : op_a;
            csr_write = f3[1:0] == 2'b01 || instr[19:15] != 5'd0;
            unique case (f3[1:0])
              2'b01: csr_wdata = csr_src;
              2'b10: csr_wdata = csr_rdata | csr_src;
              2'b11: csr_wdata = csr_rdata & ~csr_src;
              default: illegal = 1'b1;  // f3 = 100
            endcase
            if (!csr_exists || (csr_write && instr[31:30] == 2'b11)) illegal = 1'b1;
            rd_we = 1'b1;
            rd_val = csr_rdata;
          end
        end
        default: illegal = 1'b1;
      endcase
    end

    if (illegal) begin
      exc = 1'b1;
      exc_cause = 4'd2;
      exc_tval = is_c ? {16'd0, h0} : {h1, h0};  // the instruction bits as fetched
    end
    if (exc) begin
      rd_we = 1'b0;
      mem = 1'b0;
      jump = 1'b0;
      is_csr = 1'b0;
      is_mret = 1'b0;
      is_wfi = 1'b0;
      is_fencei = 1'b0;
      is_div = 1'b0;
    end
    if (instr[11:7] == 5'd0) rd_we = 1'b0;

  end

  // ---- pipeline control (continuous assignments: Verilator folds most of them into their
  // users instead of storing every intermediate signal each cycle)
  // WB: a load/store data phase holds everything until HREADY; an ERROR traps in its
  // second cycle and kills the instruction in EX.
  assign wb_stall = wb_mem && !d_hready;
  assign wb_fault = wb_mem && d_hready && d_hresp;
  assign irq_take = irq_pending && !wb_stall && !wb_fault;
  logic ex_ok;  // an instruction is in EX and nothing holds or kills it (divides aside)
  assign ex_ok = have && !sleep_q && !wb_stall && !wb_fault && !irq_take;
  assign ex_go = ex_ok && !(is_div && !div_done);

  assign trap = wb_fault || irq_take || (ex_go && exc);
  assign trap_irq = irq_take;
  assign trap_cause = wb_fault ? (wb_load ? 4'd5 : 4'd7) : exc_cause;
  assign trap_epc = wb_fault ? rvfi_pc_rdata : pc_q;
  assign trap_tval = wb_fault ? wb_addr : irq_take ? 32'd0 : exc_tval;
  assign do_mret = ex_go && is_mret;
  assign csr_we = ex_go && is_csr && csr_write;
  assign instret_inc = ex_go && !exc;
  assign instret_dec = wb_fault;
  assign div_start = is_div && ex_ok && !div_done;
  assign div_clear = ex_go || wb_fault || irq_take;

  assign redirect = trap || (ex_go && (jump || is_mret || is_fencei));
  assign target = irq_take ? irq_vector : trap ? exc_vector : is_mret ? mepc : jump ? jump_target : npc_seq;

  assign consumed = ex_go ? (is_c ? 2'd1 : 2'd2) : 2'd0;

  // ---- bus requests
  // Fetch while the queue would hold at most one halfword at the end of this cycle, so the
  // word fits when it arrives whatever EX does; always fetch the target of a redirect.
  assign i_htrans = (redirect || (avail - {1'b0, consumed}) <= 3'd1) ? 2'b10 : 2'b00;
  assign i_haddr = redirect ? {target[31:2], 2'b00} : {f_addr, 2'b00};
  assign d_htrans = (ex_go && mem) ? 2'b10 : 2'b00;
  assign d_haddr = mem_addr;
  assign d_hwrite = mem_write;
  assign d_hsize = {1'b0, mem_size};

  assign i_hsize = 3'b010;
  assign i_hprot = 4'b0010;   // opcode fetch, privileged
  assign d_hprot = 4'b0011;   // data, privileged
  assign d_hwdata = rvfi_mem_wdata;
  assign sleeping = sleep_q && !wake;

  // ------------------------------------------------------------------------------------------
  // Sequential
  // ------------------------------------------------------------------------------------------
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      pc_q       <= boot_addr;
      qn         <= 2'd0;
      f_addr     <= boot_addr[31:2];
      f_skip     <= boot_addr[1];
      dp_valid   <= 1'b0;
      dp_discard <= 1'b0;
      dp_skip    <= 1'b0;
      sleep_q    <= 1'b0;
      intr_next  <= 1'b0;
      wb_valid   <= 1'b0;
      wb_mem     <= 1'b0;
      wb_ldw     <= 1'b0;
      rvfi_order <= 64'd0;
      rf[0]      <= 32'd0;
    end else begin
      // ---- fetch
      if (redirect) begin
        pc_q <= target;
        qn   <= 2'd0;
      end else begin
        if (ex_go) pc_q <= npc_seq;
        unique case (consumed)
          2'd0: begin
            q  <= stream[47:0];
            qe <= stream_e[2:0];
          end
          2'd1: begin
            q  <= stream[63:16];
            qe <= stream_e[3:1];
          end
          default: begin
            q  <= {16'h0, stream[63:32]};
            qe <= {1'b0, stream_e[3:2]};
          end
        endcase
        qn <= 2'(avail - {1'b0, consumed});
      end
      if (i_htrans[1] && i_hready) begin
        dp_valid   <= 1'b1;
        dp_discard <= 1'b0;
        dp_skip    <= redirect ? target[1] : f_skip;
        f_addr     <= i_haddr[31:2] + 30'd1;
        f_skip     <= 1'b0;
      end else begin
        if (i_hready) dp_valid <= 1'b0;
        if (redirect) begin
          f_addr <= target[31:2];
          f_skip <= target[1];
          if (dp_valid && !i_hready) dp_discard <= 1'b1;
        end
      end

      // ---- wfi: sleep until an enabled interrupt is pending, whatever mstatus.MIE says
      if (wake || irq_take) sleep_q <= 1'b0;
      else if (ex_go && is_wfi) sleep_q <= 1'b1;

      // ---- register file
      if (wb_mem && d_hready && !d_hresp && wb_ldw) rf[wb_rd] <= ld_data;
      if (ex_go && rd_we && !mem) rf[instr[11:7]] <= rd_val;

      // ---- WB stage
      if (trap) intr_next <= 1'b1;
      else if (ex_go) intr_next <= 1'b0;
      if (!wb_stall) begin
        wb_valid <= ex_go;
        wb_mem   <= ex_go && mem;
        wb_ldw   <= ex_go && mem && rd_we;
        if (ex_go) begin
          wb_load     <= mem && !mem_write;
          wb_size     <= mem_size;
          wb_uns      <= mem_uns;
          wb_rd       <= rd_we ? instr[11:7] : 5'd0;
          wb_addr     <= exc ? exc_tval : mem_addr;
          rvfi_mem_wdata <= (mem && mem_write) ? mem_wdata : 32'd0;
          rvfi_pc_rdata  <= pc_q;
          // The rest of the record only feeds the trace.
          if (trace_en) begin
            wb_rd_wdata    <= rd_we ? rd_val : 32'd0;
            rvfi_mem_rmask <= (mem && !mem_write) ? mem_mask : 4'd0;
            rvfi_mem_wmask <= (mem && mem_write) ? mem_mask : 4'd0;
            wb_npc         <= target;
            rvfi_insn      <= fetch_fault ? 32'd0 : is_c ? {16'd0, h0} : {h1, h0};
            wb_trap        <= exc;
            rvfi_intr      <= intr_next;
          end
        end
      end
      if (trace_en && rvfi_valid) rvfi_order <= rvfi_order + 64'd1;
    end
  end

  // ------------------------------------------------------------------------------------------
  // Retirement trace: the WB record, completed by the data phase. Only computed when the
  // simulator asks for it (plusarg +cimvp_rvfi, set by the C++ side for --trace): otherwise
  // rvfi_valid stays low and the record is not maintained (rvfi_pc_rdata and rvfi_mem_wdata
  // are pipeline registers the core uses, so they are always valid).
  // ------------------------------------------------------------------------------------------
  always_comb begin
    if (trace_en) begin
      rvfi_valid     = wb_valid && !wb_stall;
      rvfi_trap      = wb_trap || wb_fault;
      rvfi_pc_wdata  = wb_fault ? exc_vector : wb_npc;
      rvfi_rd_addr   = wb_fault ? 5'd0 : wb_rd;
      rvfi_rd_wdata  = wb_fault ? 32'd0 : wb_load ? (wb_rd == 5'd0 ? 32'd0 : ld_data) : wb_rd_wdata;
      rvfi_mem_addr  = {wb_addr[31:2], 2'b00};
      rvfi_mem_rdata = (wb_load && !wb_fault) ? d_hrdata : 32'd0;
    end else begin
      rvfi_valid     = 1'b0;
      rvfi_trap      = 1'b0;
      rvfi_pc_wdata  = 32'd0;
      rvfi_rd_addr   = 5'd0;
      rvfi_rd_wdata  = 32'd0;
      rvfi_mem_addr  = 32'd0;
      rvfi_mem_rdata = 32'd0;
    end
  end
endmodule
