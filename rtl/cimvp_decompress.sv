// RVC expander: maps a 16-bit RV32C instruction onto the RV32I/M instruction it stands for, so
// the core has a single decoder. Encodings that are reserved, belong to other extensions
// (F/D loads and stores, RV64-only forms) or are NSE in RV32 (shamt[5] set) are flagged illegal;
// HINTs (e.g. rd = x0) are legal and expand to their harmless base instructions.
module cimvp_decompress (
    input  logic [15:0] c,        // quadrant in c[1:0] (11 = not compressed; ignored here)
    output logic [31:0] instr,
    output logic        illegal
);
  // Opcodes of the expanded instructions.
  localparam logic [6:0] OP_LUI = 7'b0110111, OP_JAL = 7'b1101111, OP_JALR = 7'b1100111,
                         OP_BR = 7'b1100011, OP_LOAD = 7'b0000011, OP_STORE = 7'b0100011,
                         OP_IMM = 7'b0010011, OP_OP = 7'b0110011, OP_SYS = 7'b1110011;

  // Operand fields are written out inline in the branches that use them: the expander runs on
  // every fetched halfword, most of which belong to 32-bit instructions, and function calls
  // would cost the Verilated model stores of their arguments and results on every use.
  //   rd'/rs1' = {2'b01, c[9:7]}, rs2' = {2'b01, c[4:2]}, imm6 = {{7{c[12]}}, c[6:2]}
  //   c.j/c.jal offset   = {c[12], c[8], c[10:9], c[6], c[7], c[2], c[11], c[5:3], 1'b0}
  //   c.beqz/bnez offset = {c[12], c[6:5], c[2], c[11:10], c[4:3], 1'b0}

  logic [4:0] rd, rs2;    // full 5-bit fields

  always_comb begin
    rd   = c[11:7];
    rs2  = c[6:2];
    instr   = 32'h0;
    illegal = 1'b0;
    unique case ({c[1:0], c[15:13]})
      // ---- quadrant 0
      5'b00_000: begin  // c.addi4spn -> addi rd', x2, nzuimm (nzuimm = 0 is reserved, incl. 0x0000)
        instr   = {2'b0, c[10:7], c[12:11], c[5], c[6], 2'b00, 5'd2, 3'b000, {2'b01, c[4:2]}, OP_IMM};
        illegal = c[12:5] == 8'd0;
      end
      5'b00_010: instr = {5'b0, c[5], c[12:10], c[6], 2'b00, {2'b01, c[9:7]}, 3'b010, {2'b01, c[4:2]}, OP_LOAD};  // c.lw
      5'b00_110: instr = {5'b0, c[5], c[12], {2'b01, c[4:2]}, {2'b01, c[9:7]}, 3'b010, c[11:10], c[6], 2'b00, OP_STORE};  // c.sw
      // ---- quadrant 1
      5'b01_000: instr = {{{7{c[12]}}, c[6:2]}, rd, 3'b000, rd, OP_IMM};  // c.addi / c.nop
      5'b01_001: instr = {c[12], c[8], c[10:9], c[6], c[7], c[2], c[11], c[5:3], {9{c[12]}}, 5'd1, OP_JAL};  // c.jal
      5'b01_010: instr = {{{7{c[12]}}, c[6:2]}, 5'd0, 3'b000, rd, OP_IMM};  // c.li
      5'b01_011: begin
        if (rd == 5'd2) begin  // c.addi16sp
          instr   = {{3{c[12]}}, c[4:3], c[5], c[2], c[6], 4'b0000, 5'd2, 3'b000, 5'd2, OP_IMM};
          illegal = {c[12], c[6:2]} == 6'd0;
        end else begin  // c.lui
          instr   = {{15{c[12]}}, c[6:2], rd, OP_LUI};
          illegal = {c[12], c[6:2]} == 6'd0;
        end
      end
      5'b01_100: begin
        unique case (c[11:10])
          2'b00: begin  // c.srli
            instr   = {7'b0000000, c[6:2], {2'b01, c[9:7]}, 3'b101, {2'b01, c[9:7]}, OP_IMM};
            illegal = c[12];
          end
          2'b01: begin  // c.srai
            instr   = {7'b0100000, c[6:2], {2'b01, c[9:7]}, 3'b101, {2'b01, c[9:7]}, OP_IMM};
            illegal = c[12];
          end
          2'b10: instr = {{{7{c[12]}}, c[6:2]}, {2'b01, c[9:7]}, 3'b111, {2'b01, c[9:7]}, OP_IMM};  // c.andi
          2'b11: begin
            unique case (c[6:5])
              2'b00: instr = {7'b0100000, {2'b01, c[4:2]}, {2'b01, c[9:7]}, 3'b000, {2'b01, c[9:7]}, OP_OP};  // c.sub
              2'b01: instr = {7'b0000000, {2'b01, c[4:2]}, {2'b01, c[9:7]}, 3'b100, {2'b01, c[9:7]}, OP_OP};  // c.xor
              2'b10: instr = {7'b0000000, {2'b01, c[4:2]}, {2'b01, c[9:7]}, 3'b110, {2'b01, c[9:7]}, OP_OP};  // c.or
              2'b11: instr = {7'b0000000, {2'b01, c[4:2]}, {2'b01, c[9:7]}, 3'b111, {2'b01, c[9:7]}, OP_OP};  // c.and
            endcase
            illegal = c[12];  // c.subw/c.addw (RV64) and reserved
          end
        endcase
      end
      5'b01_101: instr = {c[12], c[8], c[10:9], c[6], c[7], c[2], c[11], c[5:3], {9{c[12]}}, 5'd0, OP_JAL};  // c.j
      5'b01_110: instr = {{4{c[12]}}, c[6:5], c[2], 5'd0, 2'b01, c[9:7], 3'b000, c[11:10], c[4:3], c[12], OP_BR};  // c.beqz
      5'b01_111: instr = {{4{c[12]}}, c[6:5], c[2], 5'd0, 2'b01, c[9:7], 3'b001, c[11:10], c[4:3], c[12], OP_BR};  // c.bnez
      // ---- quadrant 2
      5'b10_000: begin  // c.slli
        instr   = {7'b0000000, c[6:2], rd, 3'b001, rd, OP_IMM};
        illegal = c[12];
      end
      5'b10_010: begin  // c.lwsp (rd = x0 is reserved)
        instr   = {4'b0, c[3:2], c[12], c[6:4], 2'b00, 5'd2, 3'b010, rd, OP_LOAD};
        illegal = rd == 5'd0;
      end
      5'b10_100: begin
        if (!c[12]) begin
          if (rs2 == 5'd0) begin  // c.jr (rs1 = x0 is reserved)
            instr   = {12'd0, rd, 3'b000, 5'd0, OP_JALR};
            illegal = rd == 5'd0;
          end else begin  // c.mv
            instr = {7'b0, rs2, 5'd0, 3'b000, rd, OP_OP};
          end
        end else begin
          if (rs2 == 5'd0) begin
            if (rd == 5'd0) instr = {12'd1, 13'd0, OP_SYS};  // c.ebreak
            else instr = {12'd0, rd, 3'b000, 5'd1, OP_JALR};  // c.jalr
          end else begin  // c.add
            instr = {7'b0, rs2, rd, 3'b000, rd, OP_OP};
          end
        end
      end
      5'b10_110: instr = {4'b0, c[8:7], c[12], rs2, 5'd2, 3'b010, c[11:9], 2'b00, OP_STORE};  // c.swsp
      // F/D loads and stores, reserved slots, and 11 (not compressed)
      default: illegal = 1'b1;
    endcase
  end
endmodule
