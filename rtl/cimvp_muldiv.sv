// M extension. Multiplies complete in the execute cycle (one 64-bit product, whose top half
// serves mulh/mulhsu/mulhu thanks to sign/zero extension of the operands). Divides use an
// iterative restoring divider, two quotient bits per cycle, that skips the dividend's leading
// zero pairs: 1 + ceil(significant bits / 2) cycles (at most 17) during which execute holds the
// instruction. Division by zero returns at once.
module cimvp_muldiv (
    input  logic        clk,
    input  logic        rst_n,
    input  logic        mul_en,   // a multiply is in execute (gates the multiplier in the model)
    input  logic [1:0]  funct3,   // M-extension funct3[1:0] (funct3[2] selects divide, in the core)
    input  logic [31:0] a,        // rs1
    input  logic [31:0] b,        // rs2
    output logic [31:0] mul_result,
    input  logic        div_start,  // load the operands of the divide in execute
    input  logic        div_clear,  // execute moved on (committed or was killed): forget it
    output logic        div_done,   // div_result belongs to the divide in execute
    output logic [31:0] div_result
);
  // ---- multiply: mod 2^64 product of the extended operands has the right top half for all
  // three mulh variants (the true product fits in 65 bits and only bits 63:32 are needed).
  // rs1 is signed for mulh and mulhsu (and mul, where it does not matter), rs2 for mulh only.
  // Nothing outside the `if`, so that the model computes nothing here for other instructions.
  logic [63:0] prod;
  always_comb begin
    prod = 64'd0;
    mul_result = 32'd0;
    if (mul_en) begin
      prod = {{32{(funct3[1:0] != 2'b11) & a[31]}}, a} * {{32{(funct3[1:0] == 2'b01) & b[31]}}, b};
      mul_result = funct3[1:0] == 2'b00 ? prod[31:0] : prod[63:32];
    end
  end

  // ---- divide
  logic        busy;
  logic [4:0]  steps;      // pairs of quotient bits left
  logic [31:0] rem, quo, dvs;
  logic        neg_q, neg_r, want_rem;

  // One restoring step: shift the next dividend bit into the remainder, subtract if it fits.
  function automatic logic [63:0] div_step(input logic [31:0] r, input logic [31:0] q,
                                           input logic [31:0] d);
    logic [32:0] t;
    logic [32:0] diff;
    t = {r, q[31]};
    diff = t - {1'b0, d};
    if (!diff[32]) return {diff[31:0], q[30:0], 1'b1};
    else return {t[31:0], q[30:0], 1'b0};
  endfunction

  always_comb begin
    div_result = 32'd0;
    if (div_done) div_result = want_rem ? (neg_r ? -rem : rem) : (neg_q ? -quo : quo);
  end

  // Leading zero bits of x, rounded down to a multiple of two (the divider's step size).
  function automatic logic [5:0] lead_zero_pairs(input logic [31:0] x);
    for (int i = 15; i >= 0; i--) begin
      if (x[2*i+1 -: 2] != 2'b00) return 6'(30 - 2 * i);
    end
    return 6'd32;
  endfunction

  always_ff @(posedge clk) begin
    logic [63:0] s1, s2;
    logic [31:0] mag;
    logic [5:0]  lz;
    if (!rst_n) begin
      busy     <= 1'b0;
      div_done <= 1'b0;
    end else if (busy || div_done || div_start) begin
      // Idle and no divide in EX (nearly every cycle): nothing to do, and nothing to clear.
      if (div_clear) begin
        busy     <= 1'b0;
        div_done <= 1'b0;
      end else if (busy) begin
        s1 = div_step(rem, quo, dvs);
        s2 = div_step(s1[63:32], s1[31:0], dvs);
        rem   <= s2[63:32];
        quo   <= s2[31:0];
        steps <= steps - 5'd1;
        if (steps == 5'd1) begin
          busy     <= 1'b0;
          div_done <= 1'b1;
        end
      end else if (div_start && !div_done) begin
        // funct3: (1)00 div, (1)01 divu, (1)10 rem, (1)11 remu
        want_rem <= funct3[1];
        if (b == 32'd0) begin
          // x / 0 = all ones, x % 0 = x (no sign fix-up)
          quo      <= 32'hFFFF_FFFF;
          rem      <= a;
          neg_q    <= 1'b0;
          neg_r    <= 1'b0;
          div_done <= 1'b1;
        end else begin
          // Work on magnitudes; overflow (-2^31 / -1) falls out as -2^31 rem 0. The dividend's
          // leading zeros would only shift zeros through the remainder: start past them.
          mag      = (!funct3[0] && a[31]) ? -a : a;
          lz       = lead_zero_pairs(mag);
          quo      <= mag << lz;
          dvs      <= (!funct3[0] && b[31]) ? -b : b;
          rem      <= 32'd0;
          neg_q    <= !funct3[0] && (a[31] ^ b[31]);
          neg_r    <= !funct3[0] && a[31];
          if (lz == 6'd32) begin  // 0 / b = 0 rem 0
            div_done <= 1'b1;
          end else begin
            busy  <= 1'b1;
            steps <= 5'((6'd32 - lz) >> 1);
          end
        end
      end
    end
  end

endmodule
