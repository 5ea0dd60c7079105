;; The Gear rolling hash of Xet's content-defined chunking ("Content-Defined Chunking Algorithm":
;; h = (h << 1) + TABLE[b], 64-bit wrapping; a boundary where h & MASK == 0, MASK = 0xFFFF000000000000
;; for the 64 KiB target). One 64-bit add per byte is what the spec asks for; plain JS would need two
;; u32 halves and a carry, which measured slower than this loop.
;;
;; Memory: the 256 table entries (u64, little-endian) at 0, the bytes to scan from 2048 on. The
;; caller (create-xet-chunker.ts) decides where a chunk may end (minimum and maximum size, the
;; skip-ahead); this only hashes and tests. The bytes the program runs are embedded in
;; gear-kernel-wasm.ts; a unit test compiles this file with wabt and fails when the two differ.
(module
  (memory (export "memory") 3)

  ;; The hash carries over from one call to the next: a chunk may span many pushes.
  (global $h (mut i64) (i64.const 0))

  (func (export "reset")
    (global.set $h (i64.const 0)))

  ;; Hashes bytes [p, end) in order and returns the address just past the first byte after which
  ;; h & MASK == 0 and that address is >= minEnd (an earlier match is not a boundary: the chunk would
  ;; be under the minimum size). Returns 0 when there is none; the hash then covers all of [p, end).
  (func (export "find") (param $p i32) (param $end i32) (param $minEnd i32) (result i32)
    (local $h i64)
    (local.set $h (global.get $h))
    (block $none
      (loop $next
        (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h
          (i64.add
            (i64.shl (local.get $h) (i64.const 1))
            (i64.load (i32.shl (i32.load8_u (local.get $p)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $next
          (i64.ne (i64.and (local.get $h) (i64.const 0xffff000000000000)) (i64.const 0)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $minEnd)))
        (global.set $h (local.get $h))
        (return (local.get $p))))
    (global.set $h (local.get $h))
    (i32.const 0)))
