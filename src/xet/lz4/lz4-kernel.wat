;; LZ4 block compression (LZ4 Block Format: sequences of token, literals, 2-byte offset, match
;; length), greedy with a 4096-entry hash table, as LZ4's fast mode does, and the byte grouping of
;; scheme ByteGrouping4LZ4. The same algorithm as the JavaScript it replaced, byte for byte, about
;; three times as fast: xorb building spends most of its time here.
;;
;; Memory (the caller copies in and out): the hash table (4096 i32) at 0, then buffers of 256 KiB
;; each for the input, the grouped bytes and the output (see lz4-compress-block.ts). The bytes the
;; program runs are embedded in lz4-kernel-wasm.ts; a unit test compiles this file with wabt and
;; fails when the two differ.
(module
  (memory (export "memory") 13)

  ;; (seq * 2654435761) >>> 20: the table slot of the 4 bytes at an address, times 4.
  (func $slot (param $seq i32) (result i32)
    (i32.shl
      (i32.shr_u (i32.mul (local.get $seq) (i32.const -1640531535)) (i32.const 20))
      (i32.const 2)))

;; n / 255 for any 32-bit n, without a division: (n * 0x80808081) >> 39.
  (func $div255 (param $n i32) (result i32)
    (i32.wrap_i64
      (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $n)) (i64.const 0x80808081)) (i64.const 39))))

  ;; The bytes that extend a 4-bit length field that is full (15): 255s, then the rest.
  (func $length (param $op i32) (param $length i32) (result i32)
    (if (i32.lt_u (local.get $length) (i32.const 15))
      (then (return (local.get $op))))
    (local.set $length (i32.sub (local.get $length) (i32.const 15)))
    (block $done
      (loop $more
        (br_if $done (i32.lt_u (local.get $length) (i32.const 255)))
        (i32.store8 (local.get $op) (i32.const 255))
        (local.set $op (i32.add (local.get $op) (i32.const 1)))
        (local.set $length (i32.sub (local.get $length) (i32.const 255)))
        (br $more)))
    (i32.store8 (local.get $op) (local.get $length))
    (i32.add (local.get $op) (i32.const 1)))

  ;; Writes literals [from, to) and, when $match > 0, the match after them, at $op; returns the new
  ;; position, or -1 when it would pass $cap.
  (func $sequence (param $from i32) (param $to i32) (param $op i32) (param $cap i32)
                  (param $offset i32) (param $match i32) (result i32)
    (local $literals i32) (local $extra i32) (local $token i32)
    (local.set $literals (i32.sub (local.get $to) (local.get $from)))
    (local.set $extra (i32.sub (local.get $match) (i32.const 4)))
    (if (i32.gt_u
          (i32.add
            (i32.add
              (i32.add (local.get $op) (i32.const 2))
              (i32.add (local.get $literals) (call $div255 (local.get $literals))))
            (select
              (i32.add (i32.const 3) (call $div255 (local.get $extra)))
              (i32.const 0)
              (i32.gt_s (local.get $match) (i32.const 0))))
          (local.get $cap))
      (then (return (i32.const -1))))
    (local.set $token
      (i32.or
        (i32.shl
          (select (local.get $literals) (i32.const 15) (i32.lt_u (local.get $literals) (i32.const 15)))
          (i32.const 4))
        (select
          (select (local.get $extra) (i32.const 15) (i32.lt_u (local.get $extra) (i32.const 15)))
          (i32.const 0)
          (i32.gt_s (local.get $match) (i32.const 0)))))
    (i32.store8 (local.get $op) (local.get $token))
    (local.set $op (call $length (i32.add (local.get $op) (i32.const 1)) (local.get $literals)))
    (memory.copy (local.get $op) (local.get $from) (local.get $literals))
    (local.set $op (i32.add (local.get $op) (local.get $literals)))
    (if (i32.gt_s (local.get $match) (i32.const 0))
      (then
        (i32.store16 (local.get $op) (local.get $offset))
        (local.set $op (call $length (i32.add (local.get $op) (i32.const 2)) (local.get $extra)))))
    (local.get $op))

  ;; Compresses [src, src + n) as one block into [dst, dst + cap); returns the compressed length, or
  ;; -1 when it does not fit.
  (func (export "compress") (param $src i32) (param $n i32) (param $dst i32) (param $cap i32) (result i32)
    (local $op i32) (local $anchor i32) (local $ip i32) (local $ref i32) (local $end i32)
    (local $seq i32) (local $h i32) (local $misses i32) (local $limit i32) (local $last i32)
    (local $diff i64) (local $capEnd i32)
    (local.set $op (local.get $dst))
    (local.set $capEnd (i32.add (local.get $dst) (local.get $cap)))
    (local.set $anchor (local.get $src))
    (if (i32.ge_u (local.get $n) (i32.const 13))
      (then
        (memory.fill (i32.const 0) (i32.const 255) (i32.const 16384))
        (local.set $limit (i32.sub (i32.add (local.get $src) (local.get $n)) (i32.const 5)))
        (local.set $last (i32.sub (i32.add (local.get $src) (local.get $n)) (i32.const 12)))
        (local.set $ip (local.get $src))
        (local.set $misses (i32.const 64))
        (block $scanned
          (loop $scan
            (br_if $scanned (i32.gt_u (local.get $ip) (local.get $last)))
            (local.set $seq (i32.load (local.get $ip)))
            (local.set $h (call $slot (local.get $seq)))
            ;; The table holds positions relative to src; -1 for none.
            (local.set $ref (i32.load (local.get $h)))
            (i32.store (local.get $h) (i32.sub (local.get $ip) (local.get $src)))
            (if (i32.or
                  (i32.lt_s (local.get $ref) (i32.const 0))
                  (i32.or
                    (i32.gt_u
                      (i32.sub (i32.sub (local.get $ip) (local.get $src)) (local.get $ref))
                      (i32.const 65535))
                    (i32.ne (i32.load (i32.add (local.get $src) (local.get $ref))) (local.get $seq))))
              (then
                (local.set $ip (i32.add (local.get $ip) (i32.shr_u (local.get $misses) (i32.const 6))))
                (local.set $misses (i32.add (local.get $misses) (i32.const 1)))
                (br $scan)))
            (local.set $misses (i32.const 64))
            (local.set $ref (i32.add (local.get $src) (local.get $ref)))
            ;; Back over bytes before the match that match too.
            (block $back
              (loop $more
                (br_if $back (i32.le_u (local.get $ip) (local.get $anchor)))
                (br_if $back (i32.le_u (local.get $ref) (local.get $src)))
                (br_if $back
                  (i32.ne
                    (i32.load8_u (i32.sub (local.get $ip) (i32.const 1)))
                    (i32.load8_u (i32.sub (local.get $ref) (i32.const 1)))))
                (local.set $ip (i32.sub (local.get $ip) (i32.const 1)))
                (local.set $ref (i32.sub (local.get $ref) (i32.const 1)))
                (br $more)))
            ;; Forward: 8 bytes at a time while they fit before the limit, then byte by byte.
            (local.set $end (i32.add (local.get $ip) (i32.const 4)))
            (block $forward
              (block $tail
                (loop $wide
                  (br_if $tail (i32.gt_u (i32.add (local.get $end) (i32.const 8)) (local.get $limit)))
                  (local.set $diff
                    (i64.xor
                      (i64.load (local.get $end))
                      (i64.load (i32.add (local.get $ref) (i32.sub (local.get $end) (local.get $ip))))))
                  (if (i64.ne (local.get $diff) (i64.const 0))
                    (then
                      (local.set $end
                        (i32.add (local.get $end)
                          (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $diff)) (i64.const 3)))))
                      (br $forward)))
                  (local.set $end (i32.add (local.get $end) (i32.const 8)))
                  (br $wide)))
              (loop $narrow
                (br_if $forward (i32.ge_u (local.get $end) (local.get $limit)))
                (br_if $forward
                  (i32.ne
                    (i32.load8_u (local.get $end))
                    (i32.load8_u (i32.add (local.get $ref) (i32.sub (local.get $end) (local.get $ip))))))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $narrow)))
            (local.set $op
              (call $sequence (local.get $anchor) (local.get $ip) (local.get $op) (local.get $capEnd)
                (i32.sub (local.get $ip) (local.get $ref)) (i32.sub (local.get $end) (local.get $ip))))
            (if (i32.lt_s (local.get $op) (i32.const 0))
              (then (return (i32.const -1))))
            (local.set $ip (local.get $end))
            (local.set $anchor (local.get $end))
            (if (i32.and
                  (i32.le_u (i32.sub (local.get $ip) (i32.const 2)) (local.get $last))
                  (i32.ge_u (local.get $ip) (i32.add (local.get $src) (i32.const 2))))
              (then
                (i32.store
                  (call $slot (i32.load (i32.sub (local.get $ip) (i32.const 2))))
                  (i32.sub (i32.sub (local.get $ip) (i32.const 2)) (local.get $src)))))
            (br $scan)))))
    (local.set $op
      (call $sequence (local.get $anchor) (i32.add (local.get $src) (local.get $n)) (local.get $op)
        (local.get $capEnd) (i32.const 0) (i32.const 0)))
    (if (i32.lt_s (local.get $op) (i32.const 0))
      (then (return (i32.const -1))))
    (i32.sub (local.get $op) (local.get $dst)))

  ;; Byte grouping: every 4th byte of [src, src + n) from offset 0, then from 1, 2 and 3, into
  ;; [out, out + n); with n not a multiple of 4, the first n % 4 groups are one byte longer.
  (func (export "bg4") (param $src i32) (param $n i32) (param $out i32)
    (local $words i32) (local $extra i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)
    (local $i i32) (local $j i32) (local $tail i32)
    (local.set $words (i32.shr_u (local.get $n) (i32.const 2)))
    (local.set $extra (i32.and (local.get $n) (i32.const 3)))
    (local.set $g1 (i32.add (local.get $words) (i32.gt_u (local.get $extra) (i32.const 0))))
    (local.set $g2 (i32.add (i32.add (local.get $g1) (local.get $words)) (i32.gt_u (local.get $extra) (i32.const 1))))
    (local.set $g3 (i32.add (i32.add (local.get $g2) (local.get $words)) (i32.gt_u (local.get $extra) (i32.const 2))))
    (local.set $g1 (i32.add (local.get $out) (local.get $g1)))
    (local.set $g2 (i32.add (local.get $out) (local.get $g2)))
    (local.set $g3 (i32.add (local.get $out) (local.get $g3)))
    (block $done
      (loop $word
        (br_if $done (i32.ge_u (local.get $i) (local.get $words)))
        (local.set $j (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $j))
        (i32.store8 (i32.add (local.get $g1) (local.get $i)) (i32.shr_u (local.get $j) (i32.const 8)))
        (i32.store8 (i32.add (local.get $g2) (local.get $i)) (i32.shr_u (local.get $j) (i32.const 16)))
        (i32.store8 (i32.add (local.get $g3) (local.get $i)) (i32.shr_u (local.get $j) (i32.const 24)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $word)))
    ;; The tail bytes go to the end of groups 0, 1, 2.
    (local.set $tail (i32.add (local.get $src) (i32.shl (local.get $words) (i32.const 2))))
    (if (i32.gt_u (local.get $extra) (i32.const 0))
      (then (i32.store8 (i32.add (local.get $out) (local.get $words)) (i32.load8_u (local.get $tail)))))
    (if (i32.gt_u (local.get $extra) (i32.const 1))
      (then (i32.store8 (i32.add (local.get $g1) (local.get $words))
              (i32.load8_u (i32.add (local.get $tail) (i32.const 1))))))
    (if (i32.gt_u (local.get $extra) (i32.const 2))
      (then (i32.store8 (i32.add (local.get $g2) (local.get $words))
              (i32.load8_u (i32.add (local.get $tail) (i32.const 2))))))))
