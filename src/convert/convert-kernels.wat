;; SIMD kernels for the MLX -> PEFT conversion: a blocked transpose of 32- and 16-bit words and a
;; value scan (non-finite count, any non-zero). They move whole words, never decode floats, so the
;; output is bit-exact. Each kernel covers the largest 4x4 (32-bit) or 8x8 (16-bit) aligned part;
;; the caller (load-convert-kernels.ts) does the few leftover rows, columns and words in JS.
;;
;; The bytes the program runs are embedded in convert-kernels-wasm.ts; a unit test compiles this
;; file with wabt and fails when the two differ (its message says how to update the bytes).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; dst[(c - c0) * rows + r] = src[r * cols + c] for r < rEnd, c0 <= c < c1, 32-bit words.
  ;; rEnd and c1 - c0 are multiples of 4; rows is the output row length (the input's row count).
  (func (export "t32")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $rEnd i32) (param $c0 i32) (param $c1 i32)
    (local $ct i32) (local $cte i32) (local $r i32) (local $c i32) (local $in i32) (local $out i32)
    (local $is i32) (local $os i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $is (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $os (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $ct (local.get $c0))
    ;; Tiles of 8 columns: the lines read stay in cache until all their words are used, and the 8
    ;; output rows written at once (often a power-of-two stride apart) do not evict each other.
    ;; Measured: 16 or 32 columns are up to 2x slower on [4096, 256].
    (block $ctDone
      (loop $ctLoop
        (br_if $ctDone (i32.ge_u (local.get $ct) (local.get $c1)))
        (local.set $cte (i32.add (local.get $ct) (i32.const 8)))
        (if (i32.gt_u (local.get $cte) (local.get $c1)) (then (local.set $cte (local.get $c1))))
        (local.set $r (i32.const 0))
        (block $rDone
          (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))
            (local.set $c (local.get $ct))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $cte)))
                (local.set $in
                  (i32.add (local.get $src)
                    (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
                (local.set $a (v128.load align=4 (local.get $in)))
                (local.set $b (v128.load align=4 (i32.add (local.get $in) (local.get $is))))
                (local.set $x (v128.load align=4 (i32.add (local.get $in) (i32.shl (local.get $is) (i32.const 1)))))
                (local.set $y (v128.load align=4 (i32.add (local.get $in) (i32.mul (local.get $is) (i32.const 3)))))
                ;; a0 b0 a1 b1 | a2 b2 a3 b3 | x0 y0 x1 y1 | x2 y2 x3 y3
                (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
                (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
                (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
                (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
                (local.set $out
                  (i32.add (local.get $dst)
                    (i32.shl
                      (i32.add (i32.mul (i32.sub (local.get $c) (local.get $c0)) (local.get $rows)) (local.get $r))
                      (i32.const 2))))
                ;; a0 b0 x0 y0, a1 b1 x1 y1, a2 b2 x2 y2, a3 b3 x3 y3
                (v128.store align=4 (local.get $out)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                (v128.store align=4 (i32.add (local.get $out) (local.get $os))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $os) (i32.const 1)))
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                (v128.store align=4 (i32.add (local.get $out) (i32.mul (local.get $os) (i32.const 3)))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $cLoop)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rLoop)))
        (local.set $ct (local.get $cte))
        (br $ctLoop))))

  ;; The same for 16-bit words, in 8x8 blocks; rEnd and c1 - c0 are multiples of 8.
  (func (export "t16")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $rEnd i32) (param $c0 i32) (param $c1 i32)
    (local $ct i32) (local $cte i32) (local $r i32) (local $c i32) (local $in i32) (local $out i32)
    (local $is i32) (local $os i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $v4 v128) (local $v5 v128) (local $v6 v128) (local $v7 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $is (i32.shl (local.get $cols) (i32.const 1)))
    (local.set $os (i32.shl (local.get $rows) (i32.const 1)))
    (local.set $ct (local.get $c0))
    (block $ctDone
      (loop $ctLoop
        (br_if $ctDone (i32.ge_u (local.get $ct) (local.get $c1)))
        (local.set $cte (i32.add (local.get $ct) (i32.const 16)))
        (if (i32.gt_u (local.get $cte) (local.get $c1)) (then (local.set $cte (local.get $c1))))
        (local.set $r (i32.const 0))
        (block $rDone
          (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))
            (local.set $c (local.get $ct))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $cte)))
                (local.set $in
                  (i32.add (local.get $src)
                    (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 1))))
                (local.set $v0 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v1 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v2 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v3 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v4 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v5 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v6 (v128.load align=2 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $is)))
                (local.set $v7 (v128.load align=2 (local.get $in)))
                ;; Interleave 16-bit lanes of row pairs: s0 = v0[0] v1[0] v0[1] v1[1] .. v0[3] v1[3], s1 = lanes 4..7.
                (local.set $s0 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $v0) (local.get $v1)))
                (local.set $s1 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $v0) (local.get $v1)))
                (local.set $s2 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $v2) (local.get $v3)))
                (local.set $s3 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $v2) (local.get $v3)))
                (local.set $s4 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $v4) (local.get $v5)))
                (local.set $s5 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $v4) (local.get $v5)))
                (local.set $s6 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $v6) (local.get $v7)))
                (local.set $s7 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $v6) (local.get $v7)))
                ;; Interleave 32-bit lanes: v0..v3 of columns (0,1), (2,3), (4,5), (6,7), then v4..v7.
                (local.set $v0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s0) (local.get $s2)))
                (local.set $v1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s0) (local.get $s2)))
                (local.set $v2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s1) (local.get $s3)))
                (local.set $v3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s1) (local.get $s3)))
                (local.set $v4 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s4) (local.get $s6)))
                (local.set $v5 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s4) (local.get $s6)))
                (local.set $v6 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s5) (local.get $s7)))
                (local.set $v7 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s5) (local.get $s7)))
                ;; Interleave 64-bit halves: each result is one column of all 8 rows, i.e. one output row.
                (local.set $out
                  (i32.add (local.get $dst)
                    (i32.shl
                      (i32.add (i32.mul (i32.sub (local.get $c) (local.get $c0)) (local.get $rows)) (local.get $r))
                      (i32.const 1))))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v4)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v4)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v1) (local.get $v5)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v1) (local.get $v5)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v6)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v6)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v3) (local.get $v7)))
                (local.set $out (i32.add (local.get $out) (local.get $os)))
                (v128.store align=2 (local.get $out)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v3) (local.get $v7)))
                (local.set $c (i32.add (local.get $c) (i32.const 8)))
                (br $cLoop)))
            (local.set $r (i32.add (local.get $r) (i32.const 8)))
            (br $rLoop)))
        (local.set $ct (local.get $cte))
        (br $ctLoop))))

  ;; Scans n 32-bit words at p (n a multiple of 4): returns (count of words whose exponent bits
  ;; are all ones) * 2 + (1 if any word has a non-zero magnitude).
  (func (export "scan32") (param $p i32) (param $n i32) (result i64)
    (local $end i32) (local $v v128) (local $count v128) (local $any v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load align=4 (local.get $p)))
        ;; eq gives -1 per non-finite lane, so subtracting it counts.
        (local.set $count
          (i32x4.sub (local.get $count)
            (i32x4.eq
              (v128.and (local.get $v) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
              (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
        (local.set $any
          (v128.or (local.get $any)
            (v128.and (local.get $v) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $loop)))
    (i64.or
      (i64.shl
        (i64.extend_i32_u
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $count)) (i32x4.extract_lane 1 (local.get $count)))
            (i32.add (i32x4.extract_lane 2 (local.get $count)) (i32x4.extract_lane 3 (local.get $count)))))
        (i64.const 1))
      (i64.extend_i32_u (v128.any_true (local.get $any)))))

  ;; The same for n 16-bit words (n a multiple of 8) whose exponent bits are `exponent`
  ;; (0x7c00 for F16, 0x7f80 for BF16).
  (func (export "scan16") (param $p i32) (param $n i32) (param $exponent i32) (result i64)
    (local $end i32) (local $chunkEnd i32) (local $v v128) (local $mask v128)
    (local $count16 v128) (local $count v128) (local $any v128)
    (local.set $mask (i16x8.splat (local.get $exponent)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; 16-bit lane counts would overflow after 32767 vectors: widen every 4096.
        (local.set $chunkEnd (i32.add (local.get $p) (i32.const 65536)))
        (if (i32.gt_u (local.get $chunkEnd) (local.get $end)) (then (local.set $chunkEnd (local.get $end))))
        (local.set $count16 (v128.const i32x4 0 0 0 0))
        (block $chunkDone
          (loop $inner
            (br_if $chunkDone (i32.ge_u (local.get $p) (local.get $chunkEnd)))
            (local.set $v (v128.load align=2 (local.get $p)))
            (local.set $count16
              (i16x8.sub (local.get $count16)
                (i16x8.eq (v128.and (local.get $v) (local.get $mask)) (local.get $mask))))
            (local.set $any
              (v128.or (local.get $any)
                (v128.and (local.get $v) (v128.const i16x8 0x7fff 0x7fff 0x7fff 0x7fff 0x7fff 0x7fff 0x7fff 0x7fff))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $inner)))
        (local.set $count (i32x4.add (local.get $count) (i32x4.extadd_pairwise_i16x8_u (local.get $count16))))
        (br $outer)))
    (i64.or
      (i64.shl
        (i64.extend_i32_u
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $count)) (i32x4.extract_lane 1 (local.get $count)))
            (i32.add (i32x4.extract_lane 2 (local.get $count)) (i32x4.extract_lane 3 (local.get $count)))))
        (i64.const 1))
      (i64.extend_i32_u (v128.any_true (local.get $any))))))
